namespace Milan.Models.Onnx;

/// <summary>
/// The ImageNet-trained ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0
/// (MIT; exported from CNTK 2.6, opset 8, no classifier), which restoring this library downloads into
/// the NuGet packages folder (a PackageDownload in src/Milan/Milan.csproj). Its preprocessing graph
/// sits beside it (<see cref="CompanionPreprocessing"/>). Nothing of it is committed.
/// </summary>
public static class NuGetResNet18
{
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string Version = "0.24.0";

    /// <summary>The name <c>--model</c> accepts for this network.</summary>
    public const string ModelName = "nuget-resnet18";

    /// <summary>The NuGet packages folder: $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string PackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Where the model file is once restored.</summary>
    public static string ModelPath => Path.Combine(PackagesFolder, PackageId.ToLowerInvariant(), Version,
                                                   "tools", CompanionPreprocessing.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The model file; an input error saying how to get it when it has not been restored.</summary>
    public static string Find() => File.Exists(ModelPath)
        ? ModelPath
        : throw MilanInputException.InFile(ModelPath,
            $"not found; it comes with NuGet package {PackageId} {Version}: run `dotnet restore` in the repository (or scripts/setup.sh)");
}
