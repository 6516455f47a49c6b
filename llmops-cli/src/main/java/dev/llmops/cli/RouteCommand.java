package dev.llmops.cli;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.routing.simulation.RouteSimulation;
import dev.llmops.core.routing.simulation.SimulationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops route}: the router from the command line. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = "Work with routes and canary releases.",
    subcommands = {RouteCommand.Simulate.class})
final class RouteCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** {@code llmops route simulate}: runs a canary scenario on simulated time and prints the decisions. */
  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = {
          "Run a route scenario (deployments, releases, traffic, a canary plan, degradations, manual actions) through "
              + "the real router on simulated time and print the report as JSON: every canary decision with its "
              + "evidence, the final state and per-arm counts.",
          "The same scenario and seed always give the same report, byte for byte."})
  static final class Simulate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "The scenario, a JSON file.")
    Path scenario = Path.of("");

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the scenario's seed.")
    @Nullable Long seed;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "-",
        description = "Where to write the report: a file (written whole or not at all), or - for standard output "
            + "(the default).")
    String out = "-";

    @Override
    public Integer call() throws IOException {
      String json;
      try {
        json = Files.readString(scenario, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new InvalidRequestException("scenario file " + scenario + " does not exist", e);
      }
      RouteSimulation simulation;
      try {
        simulation = RouteSimulation.parse(json, scenario.getFileName().toString());
      } catch (InvalidRequestException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, scenario.toString());
      }
      if (seed != null) {
        simulation = simulation.withSeed(seed);
      }
      SimulationReport report = simulation.run();
      try (Output output = Output.open(out, spec.commandLine().getOut())) {
        output.writer().write(report.toJson());
        output.commit();
      }
      return ExitCodes.OK;
    }
  }
}
