package io.unimq.cli;

import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.SendReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unimq send TOPIC [BODY]}. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Sends one message to TOPIC and waits for the broker's confirmation.",
        "The body is BODY, or the bytes of --file, or standard input when neither is given (or BODY is -)."})
final class SendCommand extends Connected {
  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Parameters(index = "1", paramLabel = "BODY", arity = "0..1", description = "The body, as UTF-8 text.")
  String body;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the bytes of FILE as the body.")
  Path file;

  @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Ordering and partitioning key.")
  String key;

  @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "A header; repeat for more.")
  List<String> headers = List.of();

  @Option(names = "--delay", paramLabel = "DURATION", converter = Durations.class,
      description = "Deliver no earlier than this from now: 250ms, 5s, 2m, 1h or PT5S.")
  Duration delay;

  @Option(names = "--id", paramLabel = "ID", description = "The message id (default: a new unique one).")
  String id;

  @Override
  public Integer call() {
    byte[] bytes = body();
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String h : headers) {
      int eq = h.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--header '" + h + "' is not NAME=VALUE");
      }
      parsed.put(h.substring(0, eq), h.substring(eq + 1));
    }
    Message.Builder message = Message.builder(topic).key(key).headers(parsed).body(bytes).delay(delay);
    if (id != null) {
      message.id(id);
    }
    try (MqClient client = common.connect()) {
      SendReceipt receipt = client.producer().send(message.build());
      var out = out();
      if (common.json()) {
        var node = Output.object().put("id", receipt.messageId()).put("topic", receipt.topic()).put("position", receipt.position());
        out.println(Output.json(node));
      } else {
        Output.table(out, List.of("ID", "TOPIC", "POSITION"),
            List.of(List.of(receipt.messageId(), receipt.topic(), receipt.position() == null ? "-" : receipt.position())));
      }
      out.flush();
    }
    return Unimq.OK;
  }

  private byte[] body() {
    if (file != null && body != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give the body either as BODY or with --file, not both");
    }
    if (file != null) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new CliException(Unimq.USAGE, "cannot read --file " + file + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
      }
    }
    if (body != null && !body.equals("-")) {
      return body.getBytes(StandardCharsets.UTF_8);
    }
    try {
      InputStream in = System.in;
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CliException(Unimq.FAILED, "cannot read the body from standard input: " + e.getMessage(), e);
    }
  }
}
