import ArgumentParser

/// Every subcommand a notebook may run: all but `notebook` itself (a notebook does not run
/// its own checker). The command line's root adds `notebook`; the notebook checker parses
/// the notebooks' `gradlab` commands with `CourseCommandLine`, so it needs no root above it.
enum CourseCommands {
  static let all: [ParsableCommand.Type] =
    [Decay.self, RenderFigures.self, Train.self, Bench.self, Seeds.self, Compare.self, Saturation.self, Reach.self, Memory.self, ModernDecayCommand.self]
    // Long-lag tasks, clipping and the spike diagnosis.
    + [TaskCommand.self, TaskSweepCommand.self, ClippingCommand.self, Spikes.self]
}

/// `gradlab` with the course commands, for parsing a notebook's commands.
struct CourseCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "gradlab", subcommands: CourseCommands.all)
}
