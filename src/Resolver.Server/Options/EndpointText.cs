using System.Globalization;
using System.Net;
using Resolver.Client.Upstreams;

namespace Resolver.Server.Options;

/// <summary>
/// Reads the "ADDR:PORT" / "ADDR[:PORT]" text of listen and upstream settings, and says precisely what is
/// wrong when it cannot, so a bad setting stops the service with one line a person can act on.
/// </summary>
public static class EndpointText
{
    /// <summary>The DNS port (RFC 1035 §4.2).</summary>
    public const int DnsPort = 53;

    /// <summary>
    /// Reads a listen address: "127.0.0.1:53" or "[::1]:53". The port is required; 0 means any free port.
    /// </summary>
    public static bool TryParseListen(string? text, out IPEndPoint endpoint, out string problem) =>
        TryParseWithPort(text, out endpoint, out problem);

    /// <summary>
    /// Reads an upstream: "9.9.9.9", "9.9.9.9:5300", "2620:fe::fe", "[::1]:5300" (port 53 when left out), or a URI:
    /// tcp://, tls://ADDR[:PORT][#NAME], https://HOST[:PORT]/PATH (<see cref="UpstreamUri"/>). The forwarder's own
    /// parser decides, so the service never accepts an upstream the forwarder would not. <paramref name="endpoint"/>
    /// is the address connected to (0.0.0.0 for an https host name without bootstrap).
    /// </summary>
    public static bool TryParseUpstream(string? text, out IPEndPoint endpoint, out string problem)
    {
        bool parsed = UpstreamUri.TryParse(text, out var upstream, out string? error);
        endpoint = parsed ? upstream.Address : new IPEndPoint(IPAddress.None, 0);
        problem = error ?? "";
        return parsed;
    }

    /// <summary>Writes an endpoint the way the settings spell it: "127.0.0.1:53", "[::1]:53".</summary>
    public static string Format(IPEndPoint endpoint) => endpoint.ToString();

    private static bool TryParseWithPort(string? text, out IPEndPoint endpoint, out string problem)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "it is empty";
            return false;
        }

        text = text.Trim();
        if (!TrySplit(text, out string addressText, out string? portText, out problem))
        {
            return false;
        }

        if (!IPAddress.TryParse(addressText, out IPAddress? address))
        {
            problem = $"'{addressText}' is not an IP address";
            return false;
        }

        if (portText is null)
        {
            problem = $"no port; e.g. {new IPEndPoint(address, DnsPort)}";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            problem = "port must be 1-65535, or 0 for any free port";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        problem = "";
        return true;
    }

    // "[v6]:port", "[v6]", "v4:port", "v4" and bare "v6" (which cannot carry a port without brackets).
    private static bool TrySplit(string text, out string address, out string? port, out string problem)
    {
        problem = "";
        port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                address = text;
                problem = "'[' without ']'";
                return false;
            }

            address = text.Substring(1, close - 1);
            string rest = text.Substring(close + 1);
            if (rest.Length == 0)
            {
                return true;
            }

            if (!rest.StartsWith(':'))
            {
                problem = "text after ']' is not ':PORT'";
                return false;
            }

            port = rest.Substring(1);
            return true;
        }

        int firstColon = text.IndexOf(':');
        if (firstColon < 0)
        {
            address = text;
            return true;
        }

        if (text.IndexOf(':', firstColon + 1) < 0)
        {
            address = text.Substring(0, firstColon);
            port = text.Substring(firstColon + 1);
            return true;
        }

        // Several colons and no brackets: a bare IPv6 address; a port would be ambiguous.
        address = text;
        return true;
    }
}
