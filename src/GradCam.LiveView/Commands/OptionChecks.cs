using System.CommandLine;
using System.CommandLine.Parsing;

namespace GradCam.LiveView.Commands;

/// <summary>
/// Option validators that leave a token of the wrong type to the parser: its own error is one line ("Cannot parse
/// argument …"), where reading the value in a validator would throw and end the process with a stack trace.
/// </summary>
internal static class OptionChecks
{
    /// <summary>Reports <paramref name="message"/> when the option's value is <paramref name="invalid"/>.</summary>
    public static void Check<T>(this Option<T> option, Func<T, bool> invalid, string message) =>
        option.Validators.Add(r =>
        {
            if (TryValue(r, out T value) && invalid(value)) r.AddError(message);
        });

    /// <summary>The option's value, or false when its token is not a <typeparamref name="T"/> (the parser reports that).</summary>
    public static bool TryValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
