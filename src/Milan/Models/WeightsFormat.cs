namespace Milan.Models;

/// <summary>The weight-file formats this library reads and writes.</summary>
public enum WeightsFormat
{
    /// <summary>Hugging Face safetensors with state-dict names (torchvision's for our models); carries metadata.</summary>
    SafeTensors,

    /// <summary>PyTorch's <c>torch.save</c> zip archive of a state dict (.pt/.pth); read only.</summary>
    PyTorch,

    /// <summary>TorchSharp's own <c>Module.save</c> format (also written by TorchSharp's exportsd.py); no metadata.</summary>
    TorchSharp,
}
