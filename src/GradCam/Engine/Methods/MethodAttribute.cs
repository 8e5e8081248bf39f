namespace GradCam.Engine.Methods;

/// <summary>Registers a <see cref="CamMethod"/> member's definition: the class that names and computes the method.</summary>
/// <param name="definition">A <see cref="CamMethodDefinition"/> subclass with a parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Field)]
public sealed class MethodAttribute(Type definition) : Attribute
{
    /// <summary>The definition's type.</summary>
    public Type Definition { get; } = definition;
}
