namespace LabelStamp.Cli.Console;

/// <summary>How much `stamp` and `verify` print. Errors and the summary line are printed at every level.</summary>
public enum Verbosity
{
    /// <summary>Errors and the summary only.</summary>
    Quiet,
    /// <summary>Also one line per file, and the key or chain a run creates.</summary>
    Normal,
    /// <summary>Also which key and signer are used, and per-stage timings of each file.</summary>
    Verbose,
}
