namespace GradCam.Configuration;

/// <summary>
/// A setting holds a value its library cannot use. The message says what was wrong and what is expected, without
/// naming any front end's spelling of the setting: an application words it with its own names (a command line with
/// its flags) through <see cref="Setting"/>.
/// </summary>
public sealed class SettingException : ArgumentException
{
    /// <summary>A setting's value is not usable.</summary>
    /// <param name="setting">The setting, as <c>Type.Property</c> (e.g. <c>ModelSpec.Device</c>).</param>
    /// <param name="message">What was wrong and what is expected, in one line.</param>
    /// <param name="inner">The cause, if any.</param>
    public SettingException(string setting, string message, Exception? inner = null)
        : base(message, inner)
    {
        Setting = setting;
    }

    /// <summary>The setting, as <c>Type.Property</c> (e.g. <c>ModelSpec.Device</c>).</summary>
    public string Setting { get; }

    /// <summary>The message alone (without .NET's parameter suffix).</summary>
    public override string Message => base.Message.Split(" (Parameter '")[0];
}
