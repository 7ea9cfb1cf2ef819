namespace Milan.Notebooks.Kernel.Hosting;

/// <summary>Receives what cells display; the executor implements it. Called from any thread.</summary>
public interface IDisplaySink
{
    /// <summary>Records a display or an update.</summary>
    void Publish(DisplayEvent displayEvent);
}
