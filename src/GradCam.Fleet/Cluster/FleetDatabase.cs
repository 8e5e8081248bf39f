using Npgsql;
using GradCam.Configuration;

namespace GradCam.Fleet.Cluster;

/// <summary>
/// The fleet's PostgreSQL database: checks a connection string, and creates the tables and queries Orleans' ADO.NET
/// clustering, reminders and grain storage need (<c>Cluster/PostgreSqlSchema.sql</c>, idempotent).
/// </summary>
public static class FleetDatabase
{
    /// <summary>The ADO.NET invariant Orleans loads Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    // Two silos starting together must not both create the tables: one waits for the other.
    private const long SchemaLock = 0x4772_6164_4361_6d01;

    /// <summary>The schema script, as shipped in this assembly; a DBA can apply it with psql.</summary>
    public static string Schema()
    {
        using var stream = typeof(FleetDatabase).Assembly.GetManifestResourceStream("GradCam.Fleet.PostgreSqlSchema.sql")!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>The connection string checked, or an <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new SettingException("FleetClusterOptions.ConnectionString", $"not a PostgreSQL connection string ({e.Message.Split('\n')[0]}); expected Host=…;Database=…");
        }
        if (string.IsNullOrWhiteSpace(builder.Host)) throw new SettingException("FleetClusterOptions.ConnectionString", "the connection string names no Host (expected Host=…;Database=…)");
        return builder;
    }

    /// <summary>Creates what is missing of the schema; an <see cref="IOException"/> says which database could not be reached.</summary>
    public static async Task EnsureSchemaAsync(string connectionString, CancellationToken token = default)
    {
        var builder = Parse(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
                await lockCommand.ExecuteNonQueryAsync(token);
            await using (var schema = new NpgsqlCommand(Schema(), connection, transaction))
                await schema.ExecuteNonQueryAsync(token);
            await transaction.CommitAsync(token);
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(builder, e);
        }
    }

    /// <summary>The error a user reads when the database cannot be used: where, and why, in one line.</summary>
    internal static IOException Unreachable(NpgsqlConnectionStringBuilder builder, Exception e) =>
        new($"the fleet database {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} cannot be used: {ClusterCalls.FirstLine(e.InnerException ?? e)}", e);
}
