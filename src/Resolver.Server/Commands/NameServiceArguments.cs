using System.Net;
using Resolver.NameService;
using Resolver.Server.Options;

namespace Resolver.Server.Commands;

/// <summary>
/// Options shared by the library-layer commands (<c>ahosts</c>, <c>hosts</c>, <c>nameinfo</c>):
/// which hosts file and resolv.conf to use, and optionally which nameserver to ask instead of
/// resolv.conf's (with a port, so a Resolver on a high port can be asked).
/// </summary>
public sealed record NameServiceArguments(IReadOnlyList<string> Keys, string HostsPath, string ResolvConfPath, IReadOnlyList<IPEndPoint> Nameservers)
{
    public const string OptionsUsage = "[--hosts FILE] [--resolv-conf FILE] [--server ADDR[:PORT]]...";

    /// <summary>Throws <see cref="FormatException"/> naming the bad option.</summary>
    public static NameServiceArguments Parse(IReadOnlyList<string> args)
    {
        var keys = new List<string>();
        var nameservers = new List<IPEndPoint>();
        string hosts = "/etc/hosts", resolvConf = "/etc/resolv.conf";
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--hosts":
                    hosts = Value(args, ref i);
                    break;
                case "--resolv-conf":
                    resolvConf = Value(args, ref i);
                    break;
                case "--server":
                    string text = Value(args, ref i);
                    if (!EndpointText.TryParseUpstream(text, out var endpoint, out string problem))
                        throw new FormatException($"--server {text}: {problem}");
                    nameservers.Add(endpoint);
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                        throw new FormatException($"unknown option '{args[i]}'");
                    keys.Add(args[i]);
                    break;
            }
        }
        return new NameServiceArguments(keys, hosts, resolvConf, nameservers);
    }

    public NameServiceSources Sources() =>
        NameServiceSources.FromSystemWithDns(Nameservers.Count > 0 ? Nameservers : null, hostsPath: HostsPath, resolvConfPath: ResolvConfPath);

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new FormatException($"{args[i - 1]} needs a value");
}
