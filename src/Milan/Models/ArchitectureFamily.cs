namespace Milan.Models;

/// <summary>The module layouts the factory builds (torchvision's ResNet and AlexNet).</summary>
public enum ArchitectureFamily
{
    ResNet,
    AlexNet,
}
