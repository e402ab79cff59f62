package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Mq;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A program on the module path: a named module that requires only {@code io.unimq.api} sends and
 * receives through the memory adapter, which {@code io.unimq.api} finds as a service its module
 * provides ({@code uses}/{@code provides}, no class path).
 */
class ModulePathTest {
  @TempDir
  Path dir;

  @Test
  void aModularProgramSendsAndReceivesThroughAnAdapterModule() throws Exception {
    String modulePath = String.join(File.pathSeparator, location(Mq.class), location(MemoryProvider.class),
        location(LoggerFactory.class));
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("demo"));
    Files.writeString(src.resolve("module-info.java"), "module demo { requires io.unimq.api; }");
    Files.writeString(src.resolve("demo/Main.java"), """
        package demo;

        import io.unimq.api.Message;
        import io.unimq.api.Mq;
        import io.unimq.api.MqClient;
        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.TimeUnit;

        public class Main {
          public static void main(String[] args) throws Exception {
            try (MqClient client = Mq.connect("memory://modules")) {
              CompletableFuture<String> received = new CompletableFuture<>();
              client.subscribe("mp-topic", "mp-group", d -> received.complete(d.message().bodyAsString()));
              client.producer().send(Message.builder("mp-topic").body("over the module path").build());
              System.out.println("received: " + received.get(30, TimeUnit.SECONDS));
              System.out.println("api module: " + Mq.class.getModule().getName());
              System.out.println("adapter module: " + ModuleLayer.boot().findModule("io.unimq.memory").map(Module::getName).orElse("none"));
            }
          }
        }
        """);
    Path classes = dir.resolve("classes");
    run(tool("javac"), "-d", classes.toString(), "--module-path", modulePath,
        src.resolve("module-info.java").toString(), src.resolve("demo/Main.java").toString());
    String out = run(tool("java"), "--module-path", modulePath + File.pathSeparator + classes, "--add-modules", "io.unimq.memory",
        "-m", "demo/demo.Main");
    assertThat(out).contains("received: over the module path", "api module: io.unimq.api", "adapter module: io.unimq.memory");
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  /** Runs a command to its end; returns its output, asserting it exited with 0. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd[0]).isTrue();
    assertThat(p.exitValue()).as("%s: %s", List.of(cmd), out).isZero();
    return out;
  }

  private static String location(Class<?> c) throws URISyntaxException, IOException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
