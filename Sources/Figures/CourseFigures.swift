/// Every figure of the course: the script in `plots/` that draws it, the tables it reads
/// (under the data directory), and the command that writes those tables.
public struct CourseFigure: Sendable {
  public var spec: FigureSpec
  /// Tables the script reads, relative to the data directory.
  public var tables: [String]
  /// The command that regenerates the tables.
  public var command: String

  public init(_ spec: FigureSpec, tables: [String], command: String) {
    self.spec = spec
    self.tables = tables
    self.command = command
  }

  public static let all: [CourseFigure] = [
    CourseFigure(
      FigureSpec(script: "decay_gradient_vs_lag.gp", output: "decay_gradient_vs_lag", width: 1500, height: 560),
      tables: ["decay_summary.tsv", "decay_rates.tsv"], command: "gradlab decay"),
    CourseFigure(
      FigureSpec(script: "decay_heatmap.gp", output: "decay_heatmap", width: 1500, height: 520),
      tables: ["decay_summary.tsv", "decay_rates.tsv"], command: "gradlab decay"),
    CourseFigure(
      FigureSpec(script: "decay_rates.gp", output: "decay_rates", width: 900, height: 700),
      tables: ["decay_rates.tsv"], command: "gradlab decay"),
    CourseFigure(
      FigureSpec(script: "decay_forget.gp", output: "decay_forget", width: 1300, height: 580),
      tables: ["decay_forget.tsv"], command: "gradlab decay"),
    CourseFigure(
      FigureSpec(script: "decay_nonnormal.gp", output: "decay_nonnormal", width: 1500, height: 620),
      tables: ["decay-gaussian/decay_summary.tsv", "decay-nonnormal/decay_summary.tsv"], command: "make figures"),
    CourseFigure(
      FigureSpec(script: "decay_layer.gp", output: "decay_layer", width: 1100, height: 680),
      tables: ["decay_layer.tsv"], command: "gradlab decay --weights FILE"),
    CourseFigure(
      FigureSpec(script: "saturation.gp", output: "saturation", width: 1300, height: 540),
      tables: ["saturation.tsv", "saturation_config.json"], command: "gradlab saturation"),
    CourseFigure(
      FigureSpec(script: "imdb_training.gp", output: "imdb_training", width: 1400, height: 620),
      tables: ["imdb-lstm/metrics.tsv", "imdb-lstm/config.json", "imdb-rnn/metrics.tsv", "imdb-gru/metrics.tsv", "keras-original.tsv"],
      command: "make imdb"),
    CourseFigure(
      FigureSpec(script: "imdb_gradients.gp", output: "imdb_gradients", width: 1800, height: 600),
      tables: ["imdb-lstm/gradients.tsv", "imdb-lstm/config.json", "imdb-rnn/gradients.tsv", "imdb-gru/gradients.tsv"], command: "make imdb"),
    CourseFigure(
      FigureSpec(script: "imdb_seeds.gp", output: "imdb_seeds", width: 1500, height: 620),
      tables: ["imdb-lstm-seeds/seeds.tsv", "imdb-lstm-seeds/seeds_summary.tsv"], command: "make imdb-seeds CELL=lstm (also rnn, gru)"),
    CourseFigure(
      FigureSpec(script: "compare_by_length.gp", output: "compare_by_length", width: 1400, height: 600),
      tables: ["compare/compare_by_length.tsv", "compare-modern/compare_by_length.tsv"], command: "make compare"),
    CourseFigure(
      FigureSpec(script: "compare_padding.gp", output: "compare_padding", width: 1400, height: 600),
      tables: [
        "compare/compare_gradients.tsv", "compare/compare_overall.tsv", "compare-modern/compare_gradients.tsv",
        "compare-modern/compare_overall.tsv",
      ],
      command: "make compare"),
    CourseFigure(
      FigureSpec(script: "decay_trained.gp", output: "decay_trained", width: 1500, height: 650),
      tables: ["decay_rates.tsv", "decay_settings.tsv", "imdb-lstm-seeds/seeds_spectra.tsv", "imdb-lstm-seeds/seeds_summary.tsv"],
      command: "make imdb-seeds CELL=lstm (also rnn, gru)"),
  ] + longLag + modern

  /// The recurrences built against vanishing gradients.
  static let modern: [CourseFigure] = [
    CourseFigure(
      FigureSpec(script: "curse_of_memory.gp", output: "curse_of_memory", width: 1700, height: 560),
      tables: ["memory/curse_of_memory.tsv"], command: "gradlab memory"),
    CourseFigure(
      FigureSpec(script: "decay_modern.gp", output: "decay_modern", width: 1500, height: 600),
      tables: ["decay-modern/decay_modern.tsv", "decay-modern/decay_modern_rates.tsv"], command: "gradlab decay-modern"),
    CourseFigure(
      FigureSpec(script: "decay_modern_sigma.gp", output: "decay_modern_sigma", width: 1500, height: 620),
      tables: ["decay-modern/decay_modern_sigma.tsv", "decay_rates.tsv"], command: "gradlab decay-modern (and gradlab decay for decay_rates.tsv)"),
  ]

  /// The long-lag tasks, clipping and the IMDB spike diagnosis (issue 10).
  static let longLag: [CourseFigure] = [
    CourseFigure(
      FigureSpec(script: "imdb_spikes.gp", output: "imdb_spikes", width: 1500, height: 1000),
      tables: ["imdb-spikes/spikes.tsv", "imdb-spikes/rnn-epochs.tsv", "imdb-spikes/lstm-window.tsv"],
      command: "gradlab train --log-steps, then gradlab spikes (see imdb-spikes/<cell>-config.json)"),
    CourseFigure(
      FigureSpec(script: "tasks_sweep.gp", output: "tasks_sweep", width: 1600, height: 560),
      tables: ["tasks/adding-sweep/summary.tsv", "tasks/adding-sweep/runs.tsv", "tasks/adding-sweep/config.json"],
      command: "gradlab task-sweep --output plots/data/tasks/adding-sweep"),
    CourseFigure(
      FigureSpec(script: "tasks_sweep.gp", output: "tasks_first_sweep", width: 1600, height: 560, variables: ["sweep": "first-sweep"]),
      tables: ["tasks/first-sweep/summary.tsv", "tasks/first-sweep/runs.tsv", "tasks/first-sweep/config.json"],
      command: "gradlab task-sweep --task first --output plots/data/tasks/first-sweep"),
    CourseFigure(
      FigureSpec(script: "tasks_curves.gp", output: "tasks_curves", width: 1600, height: 560),
      tables: ["tasks/adding-sweep/curves.tsv", "tasks/adding-sweep/summary.tsv"],
      command: "gradlab task-sweep --output plots/data/tasks/adding-sweep"),
    CourseFigure(
      FigureSpec(script: "tasks_gradients.gp", output: "tasks_gradients", width: 1600, height: 560),
      tables: ["tasks/adding-sweep/runs.tsv", "tasks/adding-sweep/curves.tsv", "tasks/adding-sweep/gradients.tsv"],
      command: "gradlab task-sweep --output plots/data/tasks/adding-sweep"),
    CourseFigure(
      FigureSpec(
        script: "tasks_modern.gp", output: "tasks_modern", width: 1800, height: 600,
        variables: ["cells": "rnn lstm gru irnn chrono mingru lru"]),
      tables: [
        "tasks/adding-sweep/summary.tsv", "tasks/modern/adding-new/summary.tsv", "tasks/modern/adding-1000-lstm-gru/summary.tsv",
        "tasks/modern/adding-1000/summary.tsv", "tasks/modern/adding-1000-rnn/summary.tsv", "tasks/modern/adding-lru/summary.tsv",
      ],
      command: "gradlab task-sweep (each folder's command is in its config.json)"),
    CourseFigure(
      FigureSpec(
        script: "tasks_modern.gp", output: "tasks_modern_first", width: 1800, height: 600,
        variables: [
          "cells": "rnn lstm gru irnn chrono mingru lru",
          "folders": "first-sweep modern/first-new modern/first-1000 modern/first-1000-rnn-lstm modern/first-lru modern/first-lru-1000",
        ]),
      tables: [
        "tasks/first-sweep/summary.tsv", "tasks/first-sweep/config.json", "tasks/modern/first-new/summary.tsv",
        "tasks/modern/first-1000/summary.tsv", "tasks/modern/first-1000-rnn-lstm/summary.tsv", "tasks/modern/first-lru/summary.tsv",
        "tasks/modern/first-lru-1000/summary.tsv",
      ],
      command: "gradlab task-sweep --task first (each folder's command is in its config.json)"),
    CourseFigure(
      FigureSpec(
        script: "tasks_modern.gp", output: "tasks_selective_copy", width: 1800, height: 600,
        variables: ["folders": "selective-copy", "xmin": "15", "xmax": "150"]),
      tables: ["tasks/selective-copy/summary.tsv", "tasks/selective-copy/config.json"],
      command: "gradlab task-sweep --task selective-copy --quick --cells rnn lstm gru linear irnn chrono lru mingru --lengths 20 50 100 --seeds 1 2 3 4 5"),
    CourseFigure(
      FigureSpec(script: "clipping.gp", output: "clipping", width: 1600, height: 560),
      tables: ["tasks/clipping/steps.tsv", "tasks/clipping/summary.tsv", "tasks/clipping/config.json"],
      command: "gradlab clipping --output plots/data/tasks/clipping"),
  ]
}
