namespace GradCam.Models.Weights;

/// <summary>The on-disk formats a state_dict can be read from. The format is detected from the content.</summary>
public enum WeightsFormat
{
    /// <summary><c>torch.save(model.state_dict())</c> since PyTorch 1.6: a zip archive holding <c>data.pkl</c> and one file per storage.</summary>
    PyTorchZip,

    /// <summary><c>torch.save(..., _use_new_zipfile_serialization=False)</c> and every file saved before PyTorch 1.6
    /// (torchvision's own <c>vgg16-397923af.pth</c>): pickles followed by raw storages.</summary>
    PyTorchLegacy,

    /// <summary>Hugging Face safetensors: a JSON header followed by raw little-endian tensors.</summary>
    Safetensors,

    /// <summary>TorchSharp's native <c>Module.save</c> format.</summary>
    TorchSharp,
}
