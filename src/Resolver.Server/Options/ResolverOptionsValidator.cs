using System.Net;
using Microsoft.Extensions.Options;

namespace Resolver.Server.Options;

/// <summary>
/// Checks the settings before any listener starts. Each failure is one line that names the setting
/// by its configuration path and says what is wrong, e.g.
/// <c>Resolver:Listen[0]: '127.0.0.1:99999' is not ADDR:PORT (port must be 1-65535, or 0 for any free port)</c>.
/// </summary>
public sealed class ResolverOptionsValidator : IValidateOptions<ResolverOptions>
{
    private const string Section = ResolverOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ResolverOptions options)
    {
        var failures = new List<string>();
        ValidateListen(options.Listen, failures);
        ValidateUpstreams(options.Upstreams, failures);
        ValidateEncrypted(options, failures);
        if (string.IsNullOrWhiteSpace(options.ZonesDirectory))
        {
            failures.Add($"{Section}:ZonesDirectory: is empty; name a folder (it may be missing or empty)");
        }

        Range(failures, "Nice", options.Nice, -20, 19);
        Range(failures, "ShutdownGraceMs", options.ShutdownGraceMs, 0, 60_000);
        Range(failures, "Udp:ReceiveLoopsPerAddress", options.Udp.ReceiveLoopsPerAddress, 1, 1024);
        Range(failures, "Udp:MaxDatagramSize", options.Udp.MaxDatagramSize, 12, UdpListenerOptions.LargestDatagram);
        Range(failures, "Udp:BatchSize", options.Udp.BatchSize, 1, UdpListenerOptions.LargestBatch);
        Range(failures, "Udp:ReceiveBufferBytes", options.Udp.ReceiveBufferBytes, 0, UdpListenerOptions.LargestReceiveBuffer);
        Range(failures, "Udp:BusyPollMicroseconds", options.Udp.BusyPollMicroseconds, 0, UdpListenerOptions.LargestBusyPoll);
        Range(failures, "Tcp:IdleTimeoutMs", options.Tcp.IdleTimeoutMs, 1, 3_600_000);
        Range(failures, "Tcp:MaxConnections", options.Tcp.MaxConnections, 1, 1_000_000);
        Range(failures, "Tcp:MaxOutstandingPerConnection", options.Tcp.MaxOutstandingPerConnection, 1, 65535);
        if (!string.IsNullOrEmpty(options.Metrics.Listen) && !Hosting.MetricsEndpoint.TryParse(options.Metrics.Listen, out _))
        {
            failures.Add($"{Section}:Metrics:Listen: '{options.Metrics.Listen}' is not ADDR:PORT (e.g. 127.0.0.1:9153, [::1]:9153)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateListen(List<string> listen, List<string> failures)
    {
        if (listen.Count == 0)
        {
            failures.Add($"{Section}:Listen: no address to listen on; give at least one ADDR:PORT, e.g. --listen 127.0.0.1:5353");
            return;
        }

        var seen = new HashSet<IPEndPoint>();
        for (int i = 0; i < listen.Count; i++)
        {
            if (!EndpointText.TryParseListen(listen[i], out IPEndPoint endpoint, out string problem))
            {
                failures.Add($"{Section}:Listen[{i}]: '{listen[i]}' is not ADDR:PORT ({problem})");
            }
            else if (endpoint.Port != 0 && !seen.Add(endpoint))
            {
                failures.Add($"{Section}:Listen[{i}]: '{listen[i]}' is listed twice");
            }
        }
    }

    private static void ValidateUpstreams(List<string> upstreams, List<string> failures)
    {
        for (int i = 0; i < upstreams.Count; i++)
        {
            if (!EndpointText.TryParseUpstream(upstreams[i], out _, out string problem))
            {
                failures.Add($"{Section}:Upstreams[{i}]: {problem}");
            }
        }
    }

    private static void ValidateEncrypted(ResolverOptions options, List<string> failures)
    {
        ValidateExtraListen("ListenTls", options.ListenTls, failures);
        ValidateExtraListen("ListenHttps", options.ListenHttps, failures);
        TlsOptions tls = options.Tls;
        if (!string.IsNullOrWhiteSpace(tls.CaFile))
        {
            try
            {
                Client.Upstreams.TlsTrust.FromPemFile(tls.CaFile);
            }
            catch (InvalidDataException e)
            {
                failures.Add($"{Section}:Tls:CaFile: {e.Message}");
            }
        }

        if (options.ListenTls.Count + options.ListenHttps.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(tls.CertificateFile) || string.IsNullOrWhiteSpace(tls.KeyFile))
            {
                failures.Add($"{Section}:Tls: --listen-tls and --listen-https need CertificateFile and KeyFile (PEM)");
            }
            else if (Transport.Encrypted.ServerCertificate.TryLoad(tls.CertificateFile, tls.KeyFile, out _, out string? problem) is false)
            {
                failures.Add($"{Section}:Tls: {problem}");
            }
        }

        Range(failures, "Tls:HandshakeTimeoutMs", tls.HandshakeTimeoutMs, 1, 60_000);
    }

    private static void ValidateExtraListen(string key, List<string> listen, List<string> failures)
    {
        for (int i = 0; i < listen.Count; i++)
        {
            if (!EndpointText.TryParseListen(listen[i], out _, out string problem))
            {
                failures.Add($"{Section}:{key}[{i}]: '{listen[i]}' is not ADDR:PORT ({problem})");
            }
        }
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Section}:{key}: {value} is out of range (must be {min}-{max})");
        }
    }
}
