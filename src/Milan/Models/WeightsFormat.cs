namespace Milan.Models;

/// <summary>The weight-file formats this library reads and writes.</summary>
public enum WeightsFormat
{
    /// <summary>Hugging Face safetensors with state-dict names (torchvision's for our models); carries metadata.</summary>
    SafeTensors,

    /// <summary>TorchSharp's own <c>Module.save</c> format (also written by TorchSharp's exportsd.py); no metadata.</summary>
    TorchSharp,

    /// <summary>A state dict saved by PyTorch's torch.save (zip format, PyTorch 1.6 and later); read only, no metadata.</summary>
    PyTorch,
}
