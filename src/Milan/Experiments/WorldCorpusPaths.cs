namespace Milan.Experiments;

/// <summary>Where the world corpus (built by <c>milan milannotations build</c>) keeps what the applications read.</summary>
public static class WorldCorpusPaths
{
    /// <summary>$MILAN_MODELS_DIR/subjects/&lt;name&gt;/weights.safetensors, e.g. resnet18-world-a.</summary>
    public static string SubjectWeights(string name) => Path.Combine(MilanRoots.Models, "subjects", name, "weights.safetensors");

    /// <summary>$MILAN_DATA_DIR/&lt;key&gt;, an exemplar folder such as resnet18/world-a.</summary>
    public static string Exemplars(string key) => Path.Combine(MilanRoots.Data, key);

    /// <summary>$MILAN_DATA_DIR/world/&lt;dataset&gt;/&lt;variant&gt;/&lt;split&gt;.</summary>
    public static string Split(string dataset, string variant, string split) => Path.Combine(MilanRoots.Data, "world", dataset, variant, split);

    /// <summary>$MILAN_RESULTS_DIR/experiments/descriptions: descriptions cached by MILAN weights, decoding and exemplars.</summary>
    public static string DescriptionCache => Path.Combine(MilanRoots.Results, "experiments", "descriptions");
}
