namespace Milan.Visualization.Atlas;

/// <summary>
/// What the atlas shows of one unit besides its exemplars: its description (from a trained MILAN) and
/// its annotations (human or simulated), either possibly absent, and its top image ids and activations
/// when the exemplar folder has them, and the names of those images (with their licences) when the
/// image folder they index is known.
/// </summary>
public sealed record AtlasUnit(int Unit, string? Description, IReadOnlyList<string> Annotations,
                               IReadOnlyList<int>? ImageIds = null, IReadOnlyList<float>? Activations = null,
                               IReadOnlyList<string>? ImageNames = null);
