using System.Globalization;

namespace Resolver.Server.Hosting;

/// <summary>
/// The server's command line (DESIGN.md "Command-line contract"): <c>--listen ADDR:PORT</c> (repeatable),
/// <c>--upstream ADDR[:PORT]</c> (repeatable; replaces the configured list), <c>--zones DIR</c>,
/// <c>--config FILE</c>. Each option becomes a configuration key under <c>Resolver</c>, so the settings have
/// one source of truth and one validation. Values are checked by the options validator, not here.
/// </summary>
public sealed class ServerArguments
{
    public const string Usage =
        """
        usage: resolver [serve] [--listen ADDR:PORT]... [--listen-tls ADDR:PORT]... [--listen-https ADDR:PORT]... [--upstream UPSTREAM]... [--tls-ca FILE] [--zones DIR] [--config FILE]
          --listen ADDR:PORT      serve on this address (repeatable; IPv6 as [::1]:53); replaces the configured list
          --upstream UPSTREAM     forward to this server (repeatable); replaces the configured list. UPSTREAM is
                                  ADDR[:PORT] or udp://ADDR[:PORT] (port 53), tcp://ADDR[:PORT] (53),
                                  tls://ADDR[:PORT][#NAME] (853), https://HOST[:PORT]/PATH[?bootstrap=ADDR] (443)
          --listen-tls ADDR:PORT  serve DNS over TLS here (repeatable; needs Resolver:Tls:CertificateFile/KeyFile)
          --listen-https ADDR:PORT serve DNS over HTTPS at https://ADDR:PORT/dns-query (repeatable)
          --tls-ca FILE           PEM file of CAs trusted for tls:// and https:// upstreams beside the system store
          --zones DIR             folder of local zone files (*.zone)
          --config FILE           extra JSON settings file (section "Resolver"), read after appsettings.json
          --metrics ADDR:PORT     serve Prometheus metrics at http://ADDR:PORT/metrics (127.0.0.1:9153)
          --help                  show this text
        Every setting can also be given as an environment variable Resolver__Section__Key.
        """;

    public List<string> Listen { get; } = [];

    public List<string> Upstreams { get; } = [];

    public List<string> ListenTls { get; } = [];

    public List<string> ListenHttps { get; } = [];

    /// <summary>The CA file for encrypted upstreams as a full path (Resolver:Tls:CaFile).</summary>
    public string? TlsCaFile { get; private set; }

    /// <summary>The zones folder as a full path (relative paths are taken from the current directory).</summary>
    public string? ZonesDirectory { get; private set; }

    /// <summary>The extra settings file as a full path.</summary>
    public string? ConfigFile { get; private set; }

    /// <summary>Where the Prometheus endpoint listens (Resolver:Metrics:Listen).</summary>
    public string? MetricsListen { get; private set; }

    public bool ShowHelp { get; private set; }

    /// <summary>Reads the server's options. Throws <see cref="CommandLineException"/> on anything unknown or incomplete.</summary>
    public static ServerArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new ServerArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg.Substring(0, equals);
                value = arg.Substring(equals + 1);
            }

            switch (name)
            {
                case "--listen":
                    parsed.Listen.Add(value ?? TakeValue(args, ref i, name, "ADDR:PORT"));
                    break;
                case "--upstream":
                    parsed.Upstreams.Add(value ?? TakeValue(args, ref i, name, "ADDR[:PORT]"));
                    break;
                case "--listen-tls":
                    parsed.ListenTls.Add(value ?? TakeValue(args, ref i, name, "ADDR:PORT"));
                    break;
                case "--listen-https":
                    parsed.ListenHttps.Add(value ?? TakeValue(args, ref i, name, "ADDR:PORT"));
                    break;
                case "--tls-ca":
                    parsed.TlsCaFile = Path.GetFullPath(value ?? TakeValue(args, ref i, name, "FILE"));
                    break;
                case "--zones":
                    parsed.ZonesDirectory = Path.GetFullPath(value ?? TakeValue(args, ref i, name, "DIR"));
                    break;
                case "--config":
                    parsed.ConfigFile = ExistingFile(value ?? TakeValue(args, ref i, name, "FILE"));
                    break;
                case "--metrics":
                    parsed.MetricsListen = value ?? TakeValue(args, ref i, name, "ADDR:PORT");
                    break;
                case "--help" or "-h":
                    parsed.ShowHelp = true;
                    break;
                default:
                    throw new CommandLineException(
                        $"unknown option '{arg}'; the server takes --listen, --listen-tls, --listen-https, --upstream, --tls-ca, --zones, --config, --metrics (see --help)");
            }
        }

        return parsed;
    }

    /// <summary>The options as configuration keys, e.g. <c>Resolver:Listen:0</c>.</summary>
    public Dictionary<string, string?> ToConfigurationKeys()
    {
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        AddList(keys, ServerConfigurationKeys.Listen, Listen);
        AddList(keys, ServerConfigurationKeys.Upstreams, Upstreams);
        AddList(keys, ServerConfigurationKeys.ListenTls, ListenTls);
        AddList(keys, ServerConfigurationKeys.ListenHttps, ListenHttps);
        if (TlsCaFile is not null)
        {
            keys[ServerConfigurationKeys.TlsCaFile] = TlsCaFile;
        }
        if (ZonesDirectory is not null)
        {
            keys[ServerConfigurationKeys.ZonesDirectory] = ZonesDirectory;
        }

        if (MetricsListen is not null)
        {
            keys[ServerConfigurationKeys.MetricsListen] = MetricsListen;
        }

        return keys;
    }

    /// <summary>The list settings the command line replaces as a whole rather than merging by index.</summary>
    public List<string> ReplacedLists()
    {
        var lists = new List<string>();
        if (Listen.Count > 0)
        {
            lists.Add(ServerConfigurationKeys.Listen);
        }

        if (Upstreams.Count > 0)
        {
            lists.Add(ServerConfigurationKeys.Upstreams);
        }

        if (ListenTls.Count > 0)
        {
            lists.Add(ServerConfigurationKeys.ListenTls);
        }

        if (ListenHttps.Count > 0)
        {
            lists.Add(ServerConfigurationKeys.ListenHttps);
        }

        return lists;
    }

    private static void AddList(Dictionary<string, string?> keys, string prefix, List<string> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            keys[prefix + ":" + i.ToString(CultureInfo.InvariantCulture)] = values[i];
        }
    }

    private static string TakeValue(IReadOnlyList<string> args, ref int i, string name, string what)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new CommandLineException($"{name} needs a value ({what})");
        }

        i++;
        return args[i];
    }

    private static string ExistingFile(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CommandLineException($"--config {path}: no such file");
        }

        return full;
    }
}
