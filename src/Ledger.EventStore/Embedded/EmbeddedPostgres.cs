using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Ledger.EventStore.Embedded;

/// <summary>How to run the private PostgreSQL server.</summary>
public sealed record EmbeddedPostgresOptions
{
    /// <summary>Folder that holds the cluster (<c>pgdata/</c>), its superuser password and its log. Default: <see cref="EmbeddedPostgres.DefaultDataRoot"/>.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Folder with <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Default: the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// False turns off fsync and synchronous commit. Only for throw-away clusters (test runs):
    /// a crash can lose or corrupt their data.
    /// </summary>
    public bool Durable { get; init; } = true;
}

/// <summary>
/// A private PostgreSQL server started from the machine's own binaries in a data folder of its
/// own, on a free loopback port, and stopped when this object is disposed or the process exits.
/// When the process runs as root the server runs as the <c>postgres</c> user, which PostgreSQL requires.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    private const string ServiceUser = "postgres";
    private const string BinariesGlobRoot = "/usr/lib/postgresql";

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly Lock _stopLock = new();
    private bool _stopped;

    private EmbeddedPostgres(string bin, string dataRoot, string? runAs, int port, string password, int? ownerPid = null)
    {
        _bin = bin;
        OwnerPid = ownerPid;
        _stopped = ownerPid is not null;
        _runAs = runAs;
        DataRoot = dataRoot;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServiceUser,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
    }

    /// <summary>
    /// Set when this process found the folder's server already running (started by <c>ledger up</c> or <c>demo</c>, whose
    /// postmaster has this pid) and uses it: stopping is left to the process that started it.
    /// </summary>
    public int? OwnerPid { get; }

    /// <summary>The folder holding <c>pgdata/</c>, the password file and <c>postgres.log</c>.</summary>
    public string DataRoot { get; }

    /// <summary>The cluster folder.</summary>
    public string DataDirectory => Path.Combine(DataRoot, "pgdata");

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Superuser connection to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// <c>/var/lib/ledger</c> when running as root (root's home is mode 700 and the server runs as
    /// <c>postgres</c>), else <c>$XDG_DATA_HOME/ledger</c> or <c>~/.local/share/ledger</c>.
    /// </summary>
    public static string DefaultDataRoot()
    {
        if (Posix.IsRoot)
        {
            return "/var/lib/ledger";
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "ledger");
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> holding initdb, pg_ctl and postgres, or the override.</summary>
    public static string FindBinaries(string? overrideDirectory = null)
    {
        static bool Complete(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

        var candidates = overrideDirectory is not null
            ? [overrideDirectory]
            : Directory.Exists(BinariesGlobRoot)
                ? Directory.GetDirectories(BinariesGlobRoot)
                    .Select(v => (Version: int.TryParse(Path.GetFileName(v), out var n) ? n : -1, Bin: Path.Combine(v, "bin")))
                    .OrderByDescending(v => v.Version)
                    .Select(v => v.Bin)
                    .ToArray()
                : [];
        return candidates.FirstOrDefault(Complete) ?? throw new LedgerEnvironmentException(
            $"PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in {overrideDirectory ?? BinariesGlobRoot + "/*/bin"}. " +
            "Install them with: apt-get install postgresql — or set LEDGER_DB to the connection string of an existing server.");
    }

    /// <summary>Initialises the cluster if the folder is new, starts the server and waits until it accepts connections.</summary>
    public static EmbeddedPostgres Start(EmbeddedPostgresOptions? options = null)
    {
        options ??= new EmbeddedPostgresOptions();
        var bin = FindBinaries(options.BinDirectory);
        var root = Path.GetFullPath(options.DataRoot ?? DefaultDataRoot());
        var runAs = Posix.IsRoot ? ServiceUser : null;

        PrepareFolder(root, runAs);
        var pgdata = Path.Combine(root, "pgdata");
        var passwordFile = Path.Combine(root, "superuser.password");

        if (Running(pgdata) is { } running)
        {
            // `ledger up` or `demo` holds this folder: work against its server rather than fail on a folder in use.
            return File.Exists(passwordFile)
                ? new EmbeddedPostgres(bin, root, runAs, running.Port, File.ReadAllText(passwordFile).Trim(), running.Pid)
                : throw new LedgerEnvironmentException($"{pgdata} is in use by a PostgreSQL server (pid {running.Pid}, port {running.Port}) but {passwordFile} is missing; this folder was not made by the ledger.");
        }
        if (!File.Exists(Path.Combine(pgdata, "PG_VERSION")))
        {
            InitCluster(bin, root, pgdata, passwordFile, runAs);
        }
        if (!File.Exists(passwordFile))
        {
            throw new LedgerEnvironmentException($"{pgdata} holds a cluster but {passwordFile} is missing; this folder was not made by the ledger.");
        }
        var password = File.ReadAllText(passwordFile).Trim();

        var port = FreeLoopbackPort();
        var server = new EmbeddedPostgres(bin, root, runAs, port, password);
        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        if (!options.Durable)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        var (code, output) = Posix.Run(
            Path.Combine(bin, "pg_ctl"),
            ["start", "-D", pgdata, "-w", "-t", "120", "-l", Path.Combine(root, "postgres.log"), "-o", settings],
            runAs);
        if (code != 0)
        {
            RefuseFolderInUse(pgdata);
            throw new LedgerEnvironmentException($"PostgreSQL did not start in {pgdata}: {output.Trim()}\n{LogTail(root)}");
        }
        server.StopOnProcessExit();
        return server;
    }

    /// <summary>Stops the server (fast shutdown: open sessions are rolled back). Safe to call twice.</summary>
    public void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            Posix.Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], _runAs);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void StopOnProcessExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Stop();
        Console.CancelKeyPress += (_, _) => Stop();
    }

    private static void PrepareFolder(string root, string? runAs)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new LedgerEnvironmentException("the embedded PostgreSQL runs on Linux only; set LEDGER_DB to a server's connection string.");
        }
        if (runAs is null)
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return;
        }
        var (code, output) = Posix.Run("install", ["-d", "-o", runAs, "-g", runAs, "-m", "700", root]);
        if (code != 0)
        {
            throw new LedgerEnvironmentException($"could not create the data folder {root} for user {runAs}: {output.Trim()}");
        }
    }

    private static void InitCluster(string bin, string root, string pgdata, string passwordFile, string? runAs)
    {
        File.WriteAllText(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        if (runAs is not null)
        {
            Posix.Run("chown", [$"{runAs}:{runAs}", passwordFile]);
        }
        var (code, output) = Posix.Run(
            Path.Combine(bin, "initdb"),
            ["-D", pgdata, "-U", ServiceUser, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=peer",
             "--encoding=UTF8", "--locale=C", "--no-instructions"],
            runAs);
        if (code != 0)
        {
            throw new LedgerEnvironmentException($"initdb failed in {pgdata}: {output.Trim()}");
        }
    }

    /// <summary>
    /// The server running on this folder, from a live postmaster.pid (its pid on line 1, its port on line 4, and the
    /// status "ready" on line 8 once it accepts connections); null when none runs. A stale file (dead pid) is left for
    /// PostgreSQL, which removes it itself.
    /// </summary>
    private static (int Pid, int Port)? Running(string pgdata)
    {
        var pidFile = Path.Combine(pgdata, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (IOException)
        {
            return null;
        }
        return lines.Length > 3
            && int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Posix.ProcessExists(pid)
            && int.TryParse(lines[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (pid, port)
            : null;
    }

    /// <summary>A server that started on the folder meanwhile (two processes racing to start it): say which, in plain words.</summary>
    private static void RefuseFolderInUse(string pgdata)
    {
        if (Running(pgdata) is { } running)
        {
            throw new LedgerEnvironmentException(
                $"the data folder {pgdata} was taken by another PostgreSQL server while this one started (pid {running.Pid}, port {running.Port}); run the command again to use it.");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LogTail(string root)
    {
        var log = Path.Combine(root, "postgres.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(10)) : "";
    }
}
