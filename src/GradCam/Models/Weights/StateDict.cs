using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>
/// An ordered set of named tensors read from a weights file, as PyTorch's <c>state_dict()</c> holds them.
/// Owns its tensors: dispose it once they have been copied into a model.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>Creates a state_dict from tensors it takes ownership of.</summary>
    /// <param name="format">The format the tensors came from.</param>
    /// <param name="tensors">Name/tensor pairs, in file order.</param>
    public StateDict(WeightsFormat format, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        Format = format;
        foreach (var (name, tensor) in tensors)
        {
            if (_tensors.TryAdd(name, tensor)) _order.Add(name);
            else tensor.Dispose();
        }
    }

    /// <summary>The format the file was written in.</summary>
    public WeightsFormat Format { get; }

    /// <inheritdoc />
    public Tensor this[string key] => _tensors[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => _order.Select(k => _tensors[k]);

    /// <inheritdoc />
    public int Count => _order.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) =>
        _tensors.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, Tensor>(k, _tensors[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Frees the native memory of every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
        _order.Clear();
    }
}
