using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GradCam.Fleet.Tests.Cluster;

/// <summary>
/// A real PostgreSQL server of the tests' own: Debian's binaries, a cluster initialised in a temporary folder (as the
/// postgres user when the tests run as root, which PostgreSQL refuses), listening on a free port of 127.0.0.1, one
/// database created. Disposing stops it and deletes the folder; `./build.sh test` also stops any left by a crashed run
/// (their folders are named gradcam-pg-*).
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgres;

    private PostgresServer(string folder, string bin, bool asPostgres, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgres = asPostgres;
        Port = port;
    }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username=gradcam;Pooling=false";

    /// <summary>Starts a server and creates <paramref name="databases"/>.</summary>
    public static PostgresServer Start(params string[] databases)
    {
        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out int v) ? v : 0).FirstOrDefault() ?? ""
            : "";
        if (bin == "") throw new InvalidOperationException("PostgreSQL is not installed (./build.sh test installs Debian's postgresql)");
        bool root = Environment.UserName == "root";
        string folder = Directory.CreateTempSubdirectory("gradcam-pg-").FullName;
        int port = FreePort();
        var server = new PostgresServer(folder, bin, root, port);
        try
        {
            if (root) Run("chown", "postgres", folder);
            server.Pg("initdb", "-D", server.Data, "-A", "trust", "-U", "gradcam", "-E", "UTF8", "--no-sync");
            server.Pg("pg_ctl", "start", "-w", "-t", "60", "-D", server.Data, "-l", Path.Combine(folder, "server.log"),
                      "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off");
            using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
            connection.Open();
            foreach (string db in databases)
                using (var create = new NpgsqlCommand($"CREATE DATABASE \"{db}\"", connection)) create.ExecuteNonQuery();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Runs one query and returns its rows as text, for the tests to look into the tables.</summary>
    public List<string[]> Query(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))!).ToArray());
        return rows;
    }

    private string Data => Path.Combine(_folder, "data");

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid"))) Pg("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", Data);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Pg(string tool, params string[] args)
    {
        string exe = Path.Combine(_bin, tool);
        if (_asPostgres) Run("runuser", ["-u", "postgres", "--", exe, .. args]);
        else Run(exe, args);
    }

    private static void Run(string file, params string[] args)
    {
        var r = ProcessRunner.Run(file, args, new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(2) });
        if (r.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({r.ExitCode}): {r.Stderr}{r.Stdout}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
