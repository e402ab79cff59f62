/** Starts and reaches the brokers unimq's tests run against. */
module io.unimq.testbrokers {
  exports io.unimq.testbrokers;
}
