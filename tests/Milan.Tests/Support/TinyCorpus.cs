using Milan.Annotations;
using Milan.Corpus;
using Xunit;
using static TorchSharp.torch;

namespace Milan.Tests.Support;

/// <summary>
/// The whole world corpus at the tiny profile (<see cref="WorldCorpus.Build"/>), built once and shared
/// by the test classes of the <see cref="TinyCorpusCollection"/> (about 20 s on 2 cores). Tests read it
/// and must not change it.
/// </summary>
public sealed class TinyCorpus : IDisposable
{
    public TempFolder Folder { get; } = new();
    public string DataRoot => Path.Combine(Folder.Path, "data");
    public string ModelsRoot => Path.Combine(Folder.Path, "models");
    public WorldCorpusSettings Settings { get; } = WorldCorpusSettings.For(Profile.Tiny);

    public TinyCorpus() => WorldCorpus.Build(Settings, DataRoot, ModelsRoot, CPU);

    public void Dispose() => Folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TinyCorpusCollection : ICollectionFixture<TinyCorpus>
{
    public const string Name = "tiny world corpus";
}
