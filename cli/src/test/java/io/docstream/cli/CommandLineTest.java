package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a person meets it, in this JVM: help, input checks, coded errors. */
class CommandLineTest {
  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void forgetRunRecord() {
    System.clearProperty(RunRecord.LOCATION_PROPERTY);
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String deadBootstrap() {
    return "127.0.0.1:" + ProcessorJvm.freePort();
  }

  @Test
  void shouldAnswerHelpForEveryCommand() {
    List<List<String>> commands = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), commands);
    assertThat(commands).hasSizeGreaterThanOrEqualTo(11);
    for (List<String> command : commands) {
      out.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
      assertThat(out.toString())
          .as(String.join(" ", args))
          .startsWith(
              "Usage: docstream" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
    }
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      List<String> deeper = new ArrayList<>(path);
      deeper.add(sub.getKey());
      collect(sub.getValue(), deeper, into);
    }
  }

  @Test
  void shouldRefuseABadIdBeforeContactingKafka() {
    long start = System.nanoTime();
    Map<String, ErrorCode> expected =
        Map.of(
            "",
            ErrorCode.MESSAGE_ID_INVALID,
            "x".repeat(201),
            ErrorCode.MESSAGE_ID_INVALID,
            "timer:turn:1:2",
            ErrorCode.MESSAGE_ID_RESERVED);
    for (String id : expected.keySet()) {
      err.getBuffer().setLength(0);
      int exit =
          run(
              "send",
              "json/x",
              "{}",
              "--id",
              id,
              "--bootstrap",
              deadBootstrap(),
              "--timeout-ms",
              "60000");
      assertThat(exit).isEqualTo(Main.FAILED);
      assertThat(err.toString()).startsWith("error " + expected.get(id).code() + ": ");
    }
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    assertThat(SendCommand.validId("x".repeat(200))).hasSize(200);
  }

  @Test
  void shouldAnswerABodyThatIsNotJsonWithOneCodedLine() {
    for (String body : List.of("{\"n\":1e9999999999}", "{not json")) {
      err.getBuffer().setLength(0);
      assertThat(run("send", "json/x", body, "--bootstrap", deadBootstrap())).isNotZero();
      assertThat(err.toString()).matches("error 4\\d{3}: [^\\n]*\\n");
    }
  }

  @Test
  void shouldAnswerAnUnreachableReadApiWithOneCodedLine() {
    String dead = "http://127.0.0.1:" + ProcessorJvm.freePort();
    assertThat(run("get", "json/x", "--url", dead, "--timeout-ms", "2000")).isEqualTo(Main.FAILED);
    assertThat(err.toString())
        .matches("error " + ErrorCode.READ_API_UNREACHABLE.code() + ": [^\\n]*\\n");
    err.getBuffer().setLength(0);
    assertThat(run("get", "json/x", "--url", "not a url")).isEqualTo(Main.FAILED);
    assertThat(err.toString())
        .matches("error " + ErrorCode.CLI_INPUT_INVALID.code() + ": [^\\n]*\\n");
  }

  @Test
  void shouldPassBrokerSettingsOfRunToTheBrokerOptions() {
    // A key the fixture owns is refused by BrokerOptions, before any broker starts
    String dataDir = temp.resolve("run").toString();
    assertThat(run("run", "--data-dir", dataDir, "--broker-setting", "node.id=7"))
        .isEqualTo(Main.FAILED);
    assertThat(err.toString())
        .matches("error " + ErrorCode.CONFIG_INVALID.code() + ": [^\\n]*node.id[^\\n]*\\n");
  }

  @Test
  void shouldAnswerABadBootstrapWithOneCodedLine() {
    for (String bootstrap : List.of("no-port-here", "nosuchhost.invalid:9092")) {
      err.getBuffer().setLength(0);
      assertThat(run("tail", "--bootstrap", bootstrap, "--timeout-ms", "2000"))
          .as(bootstrap)
          .isEqualTo(Main.FAILED);
      assertThat(err.toString())
          .as(bootstrap)
          .matches("error " + ErrorCode.CONFIG_INVALID.code() + ": [^\\n]*\\n");
    }
  }

  @Test
  void shouldNameATakenPortWithACode() {
    assertThat(
            CliErrors.line(
                CliErrors.coded(
                    new IllegalStateException(
                        "start failed", new java.net.BindException("Address already in use")))))
        .isEqualTo(
            "error "
                + ErrorCode.CONFIG_INVALID.code()
                + ": a port to listen on is taken: Address already in use");
  }

  @Test
  void shouldNotMintATokenWhenNoSecretIsFound() throws Exception {
    System.setProperty(RunRecord.LOCATION_PROPERTY, temp.resolve("none").toString());
    Path empty = Files.createDirectories(temp.resolve("empty"));
    assertThat(run("token", "alice", "--data-dir", empty.toString())).isEqualTo(Main.FAILED);
    assertThat(err.toString()).startsWith("error " + ErrorCode.DEV_SECRET_NOT_FOUND.code() + ": ");
    assertThat(empty).isEmptyDirectory();
  }

  @Test
  void shouldSignTheTokenWithTheRunningInstancesSecret() throws Exception {
    System.setProperty(RunRecord.LOCATION_PROPERTY, temp.resolve("run.properties").toString());
    Path dataDir = temp.resolve("elsewhere");
    String secret = Secrets.readOrCreate(dataDir, Secrets.DEV);
    RunRecord.writeForThisProcess(dataDir);
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertThat(run("token", "alice")).isZero();
    } finally {
      System.setOut(stdout);
    }
    SignedJWT token = SignedJWT.parse(printed.toString(StandardCharsets.UTF_8).strip());
    assertThat(token.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("alice");
  }
}
