using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>Schema shapes as schemas: lets a fitted transformer answer an estimator's <c>GetOutputSchema(SchemaShape)</c>.</summary>
internal static class SchemaShapes
{
    /// <summary>A schema with a column of the shape's type per shape column (vectors of unknown size get 10 slots, as ML.NET's own stand-ins do).</summary>
    public static DataViewSchema ToSchema(SchemaShape shape)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in shape)
        {
            var type = column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType is not PrimitiveDataViewType item
                ? column.ItemType
                : new VectorDataViewType(item, column.Kind == SchemaShape.Column.VectorKind.Vector ? 10 : 0);
            builder.AddColumn(column.Name, type);
        }
        return builder.ToSchema();
    }

    /// <summary>
    /// A schema's shape: ML.NET's own <c>SchemaShape.Create</c>, which it keeps internal (as it keeps
    /// <c>SchemaShape.Column</c>'s constructor), called by reflection.
    /// </summary>
    /// <exception cref="NotSupportedException">This ML.NET version has no such method.</exception>
    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static, [typeof(DataViewSchema)])
            ?? throw new NotSupportedException("this ML.NET version has no SchemaShape.Create(DataViewSchema); fit the estimator to get the output schema");
        return (SchemaShape)create.Invoke(null, [schema])!;
    }
}
