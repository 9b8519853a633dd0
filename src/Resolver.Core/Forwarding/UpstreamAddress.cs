using System.Net;
using Resolver.Client.Upstreams;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Parses plain upstream addresses (the URI forms, tcp://, tls://, https://, are <see cref="UpstreamUri"/>'s) as written in configuration and on the command line:
/// "192.0.2.1", "192.0.2.1:5300", "2001:db8::1" (no port: a bare IPv6 address is never split
/// at its last colon), "[2001:db8::1]" and "[::1]:5300". The port defaults to 53.
/// </summary>
public static class UpstreamAddress
{
    public const int DefaultPort = 53;

    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var endpoint, out string? error) ? endpoint : throw new FormatException(error);

    public static bool TryParse(string? text, out IPEndPoint endpoint, out string? error)
    {
        string value = text?.Trim() ?? "";
        if (UpstreamUri.TryParseAddress(value, DefaultPort, out endpoint, out string? reason))
        {
            error = null;
            return true;
        }
        return Fail(value, reason!, out error);
    }

    /// <summary>The address as configuration would write it ("192.0.2.1:53", "[::1]:5300"); used as metric tag.</summary>
    public static string Format(IPEndPoint endpoint) => UpstreamEndpoint.FormatAddress(endpoint);

    private static bool Fail(string value, string reason, out string error)
    {
        error = $"upstream '{value}': {reason}; expected address[:port] such as 192.0.2.1:53 or [::1]:5300";
        return false;
    }
}
