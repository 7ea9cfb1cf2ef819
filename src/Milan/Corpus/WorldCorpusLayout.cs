using Milan.World;

namespace Milan.Corpus;

/// <summary>
/// Where the world corpus (built by <c>milan milannotations build</c>, <see cref="WorldCorpus"/>) keeps
/// what the applications read, under a data root and a models root.
/// </summary>
public sealed record WorldCorpusLayout(string DataRoot, string ModelsRoot)
{
    /// <summary>The roots from MILAN_DATA_DIR and MILAN_MODELS_DIR (<see cref="MilanRoots"/>).</summary>
    public static WorldCorpusLayout FromEnvironment() => new(MilanRoots.Data, MilanRoots.Models);

    /// <summary>&lt;models&gt;/subjects/&lt;name&gt;/weights.safetensors, e.g. resnet18-world-a.</summary>
    public string SubjectWeights(string name) => Path.Combine(WorldCorpus.SubjectFolder(ModelsRoot, name), "weights.safetensors");

    /// <summary>&lt;data&gt;/&lt;key&gt;, an exemplar folder such as resnet18/world-a.</summary>
    public string Exemplars(string key) => WorldCorpus.DatasetFolder(DataRoot, key);

    /// <summary>&lt;data&gt;/world/&lt;dataset&gt;/&lt;variant&gt;/&lt;split&gt;.</summary>
    public string Split(string dataset, WorldVariant variant, string split) => Path.Combine(WorldCorpus.WorldFolder(DataRoot, dataset, variant), split);

    /// <summary>&lt;models&gt;/milan/world-apps: the applications' MILAN (trained and used by the Experiments stage).</summary>
    public string ApplicationMilanFolder => Path.Combine(ModelsRoot, "milan", "world-apps");

    /// <summary>The applications' MILAN trained with another seed: <see cref="ApplicationMilanFolder"/> for seed 0, else &lt;models&gt;/milan/world-apps-seed&lt;S&gt;.</summary>
    public string ApplicationMilanFolderFor(int seed) => seed == 0 ? ApplicationMilanFolder : $"{ApplicationMilanFolder}-seed{seed}";

    /// <summary>&lt;models&gt;/subjects/encoder-resnet18/weights.safetensors: the captioner's frozen encoder.</summary>
    public string EncoderWeights => SubjectWeights(WorldCorpusSettings.EncoderName);

    /// <summary>&lt;models&gt;/milan/features: exemplar features cached while training the applications' MILAN.</summary>
    public string FeatureCache => Path.Combine(ModelsRoot, "milan", "features");
}
