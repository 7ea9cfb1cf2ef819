namespace Milan.Notebooks.Tests.Support;

/// <summary>A fresh folder under /tmp, deleted at the end of the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "milan-notebooks-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process that is still closing may hold a file; /tmp is cleaned eventually
        }
    }
}
