package io.unimq.tck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run of {@link MqFaultKit} counted: every figure of the fault matrix for one fault, one
 * broker and one seed. Filled by the run's workload, then read; not thread-safe.
 */
public final class FaultLedger {
  private static final ObjectWriter JSON = JsonMapper.builder().build().writerWithDefaultPrettyPrinter();
  /** The kit's report format; bumped when a field changes meaning. */
  public static final int FORMAT = 1;

  String broker;
  String fault;
  String mode;
  long seed;
  String skipped;
  String store;
  /** How long the fault lasted, from its injection to the broker (or network) being back. */
  double faultSeconds;
  long sent;
  long confirmed;
  /** Confirmed sends the unordered group never handled (must be 0). */
  long lostUnordered;
  /** Confirmed sends the ordered group never got (must be 0). */
  long lostOrdered;
  long failedTyped;
  long failedOutcomeUnknown;
  /** Sends that failed with something other than an {@code MqException} (a defect). */
  long failedUntyped;
  final Map<String, Long> failures = new TreeMap<>();
  /**
   * Of {@link #lostUnordered} and {@link #lostOrdered}, those the broker's own records show it dropped
   * ({@link MqFaultKit#lossesTheBrokerRecorded}): the broker's documented behaviour, not the adapter's.
   */
  long lostByBroker;
  /** Why the broker dropped them, as the adapter's test read it from the broker's records (distinct reasons). */
  final Set<String> lostByBrokerReasons = new TreeSet<>();
  /** Up to 10 lost confirmed sends, described (id, sequence, key, kind, when sent and confirmed). */
  final List<String> lostSample = new ArrayList<>();
  /** Messages handed to a handler more than expected (retries by policy excluded), per group. */
  long deliveredTwiceUnordered;
  long deliveredTwiceOrdered;
  /** Side effects run twice behind {@code Idempotent} (must be 0). */
  long duplicateSideEffects;
  /** Pairs of same-key confirmed messages whose first deliveries came out of send order. */
  long orderViolations;
  /** Up to 10 of them, described (key, both sequences, when each was sent and confirmed). */
  final List<String> orderSample = new ArrayList<>();
  boolean orderedChecked;
  long delayedConfirmed;
  /** Delayed messages handled before their time (must be 0). */
  long delayedEarly;
  double delayedLateMaxSeconds;
  double delayedLateP50Seconds;
  long retriedConfirmed;
  int retryAttemptsExpected;
  int retryAttemptsMin;
  int retryAttemptsMax;
  long deadLettered;
  /** When the drain timed out: the groups' lag then (messages the broker still holds for them), else 0. */
  long lagAtEndUnordered;
  long lagAtEndOrdered;
  /** From the end of the fault to the first confirmation of a send started after it; -1 if none. */
  double sendsResumeSeconds = -1;
  /** From the end of the fault to the first handling of a message sent after it; -1 if none. */
  double consumptionResumeSeconds = -1;
  double runSeconds;
  /** Half messages (where the adapter declares TRANSACTIONS): sent, and failed with an exception. */
  boolean halfChecked;
  long halfSent;
  long halfFailed;
  /** Whose local transaction decided commit (must all be delivered), or rollback or never ran (never delivered). */
  long halfCommitted;
  long halfRolledBack;
  /** Left to the checker (the local transaction answered unknown), and how often the checker was asked. */
  long halfLeftUnknown;
  long halfCheckedBack;
  /** Committed half messages never delivered (must be 0). */
  long halfLost;
  /** Half messages delivered although rolled back or never committed (must be 0). */
  long halfDeliveredAgainstRollback;
  long halfDeliveredTwice;
  /** {@link MqFaultKit.Fault#NODE_KILL}: the node killed; else null. */
  String node;
  /**
   * From the fault's start until producing stopped: the longest time without a confirmation (the first
   * gap runs from the fault's start, the last one to the stop); -1 when not measured.
   */
  double sendsStalledSeconds = -1;
  /** The same for first deliveries to the unordered group. */
  double consumptionStalledSeconds = -1;

  FaultLedger() {}

  public String broker() {
    return broker;
  }

  public String fault() {
    return fault;
  }

  public long seed() {
    return seed;
  }

  /** Confirmed sends lost by either group that the broker's own records do not account for (must be 0). */
  public long lostByAdapter() {
    return lost() - lostByBroker;
  }

  /** Confirmed sends lost by either group. */
  public long lost() {
    return lostUnordered + lostOrdered;
  }

  public long duplicateSideEffects() {
    return duplicateSideEffects;
  }

  public long delayedEarly() {
    return delayedEarly;
  }

  /** Committed half messages never delivered. */
  public long halfLost() {
    return halfLost;
  }

  /** Half messages delivered against their rollback. */
  public long halfDeliveredAgainstRollback() {
    return halfDeliveredAgainstRollback;
  }

  /** The report as one JSON object (what {@code scripts/fault-matrix} reads). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(fields()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the fault ledger cannot be written as JSON", e);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("fault ledger:");
    fields().forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(v));
    return sb.toString();
  }

  private Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("broker", broker);
    m.put("fault", fault);
    m.put("mode", mode);
    m.put("seed", seed);
    m.put("skipped", skipped);
    if (skipped != null) {
      return m;
    }
    m.put("store", store);
    m.put("faultSeconds", round(faultSeconds));
    m.put("runSeconds", round(runSeconds));
    m.put("sent", sent);
    m.put("confirmed", confirmed);
    m.put("lostUnordered", lostUnordered);
    m.put("lostOrdered", lostOrdered);
    m.put("lostSample", lostSample);
    m.put("lostByBroker", lostByBroker);
    m.put("lostByBrokerReasons", lostByBrokerReasons);
    m.put("failedTyped", failedTyped);
    m.put("failedOutcomeUnknown", failedOutcomeUnknown);
    m.put("failedUntyped", failedUntyped);
    m.put("failures", failures);
    m.put("deliveredTwiceUnordered", deliveredTwiceUnordered);
    m.put("deliveredTwiceOrdered", deliveredTwiceOrdered);
    m.put("duplicateSideEffects", duplicateSideEffects);
    m.put("orderedChecked", orderedChecked);
    m.put("orderViolations", orderViolations);
    m.put("orderSample", orderSample);
    m.put("delayedConfirmed", delayedConfirmed);
    m.put("delayedEarly", delayedEarly);
    m.put("delayedLateMaxSeconds", round(delayedLateMaxSeconds));
    m.put("delayedLateP50Seconds", round(delayedLateP50Seconds));
    m.put("retriedConfirmed", retriedConfirmed);
    m.put("retryAttemptsExpected", retryAttemptsExpected);
    m.put("retryAttemptsMin", retryAttemptsMin);
    m.put("retryAttemptsMax", retryAttemptsMax);
    m.put("deadLettered", deadLettered);
    m.put("lagAtEndUnordered", lagAtEndUnordered);
    m.put("lagAtEndOrdered", lagAtEndOrdered);
    m.put("sendsResumeSeconds", round(sendsResumeSeconds));
    m.put("consumptionResumeSeconds", round(consumptionResumeSeconds));
    m.put("halfChecked", halfChecked);
    m.put("halfSent", halfSent);
    m.put("halfFailed", halfFailed);
    m.put("halfCommitted", halfCommitted);
    m.put("halfRolledBack", halfRolledBack);
    m.put("halfLeftUnknown", halfLeftUnknown);
    m.put("halfCheckedBack", halfCheckedBack);
    m.put("halfLost", halfLost);
    m.put("halfDeliveredAgainstRollback", halfDeliveredAgainstRollback);
    m.put("halfDeliveredTwice", halfDeliveredTwice);
    if (node != null) {
      m.put("node", node);
    }
    m.put("sendsStalledSeconds", round(sendsStalledSeconds));
    m.put("consumptionStalledSeconds", round(consumptionStalledSeconds));
    return m;
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
