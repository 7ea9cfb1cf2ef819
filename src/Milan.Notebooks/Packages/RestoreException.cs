namespace Milan.Notebooks.Packages;

/// <summary>
/// A package request that cannot be met: a version conflict with an earlier cell, a missing
/// package or source, a failed restore. Becomes an error output on the cell that asked.
/// </summary>
public sealed class RestoreException(string message) : Exception(message);
