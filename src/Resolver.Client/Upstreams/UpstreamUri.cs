using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Upstreams;

/// <summary>
/// Reads upstreams as written in configuration and on the command line:
/// <list type="bullet">
/// <item><c>ADDR[:PORT]</c> or <c>udp://ADDR[:PORT]</c>: UDP, TCP after TC=1 (port 53);</item>
/// <item><c>tcp://ADDR[:PORT]</c>: TCP only (port 53);</item>
/// <item><c>tls://ADDR[:PORT][?pin-sha256=B64...][#NAME]</c>: DNS over TLS (RFC 7858, port 853); NAME is what the
/// certificate must carry, as Unbound's <c>addr@port#name</c>;</item>
/// <item><c>https://HOST[:PORT][/PATH][?bootstrap=ADDR][&amp;pin-sha256=B64][&amp;method=get]</c>: DNS over HTTPS
/// (RFC 8484, port 443, path /dns-query); bootstrap is the address of a HOST given by name, so reaching the upstream
/// does not need a name lookup that may itself go through it.</item>
/// </list>
/// A bare IPv6 address is never split at its last colon: with a port it needs brackets, <c>[::1]:5300</c>.
/// </summary>
public static class UpstreamUri
{
    public const int DnsPort = 53;
    public const int TlsPort = 853;
    public const int HttpsPort = 443;

    /// <summary>What every error message ends with: the forms that are understood.</summary>
    public const string Expected =
        "expected address[:port] such as 192.0.2.1:53 or [::1]:5300, tcp://ADDR[:PORT], tls://ADDR[:PORT][#NAME] or https://HOST[:PORT]/PATH";

    public static UpstreamEndpoint Parse(string text) =>
        TryParse(text, out var upstream, out string? error) ? upstream : throw new FormatException(error);

    public static bool TryParse(string? text, out UpstreamEndpoint upstream, out string? error)
    {
        upstream = null!;
        string value = text?.Trim() ?? "";
        int schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            return TryPlain(value, value, UpstreamTransport.Udp, DnsPort, out upstream, out error);
        string scheme = value[..schemeEnd].ToLowerInvariant();
        string rest = value[(schemeEnd + 3)..];
        return scheme switch
        {
            "udp" => TryPlain(value, rest, UpstreamTransport.Udp, DnsPort, out upstream, out error),
            "tcp" => TryPlain(value, rest, UpstreamTransport.Tcp, DnsPort, out upstream, out error),
            "tls" => TryTls(value, rest, out upstream, out error),
            "https" => TryHttps(value, rest, out upstream, out error),
            _ => Fail(value, $"unknown scheme '{scheme}://' (udp, tcp, tls or https)", out error),
        };
    }

    /// <summary>"192.0.2.1", "192.0.2.1:5300", "::1", "[::1]:5300"; the port defaults to <paramref name="defaultPort"/>.</summary>
    public static bool TryParseAddress(string text, int defaultPort, out IPEndPoint endpoint, out string? reason)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        reason = null;
        if (text.Length == 0)
            return Reason("the address is empty", out reason);
        string host = text;
        string? port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
                return Reason("'[' without ']'", out reason);
            host = text[1..close];
            string after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                    return Reason("expected ':port' after ']'", out reason);
                port = after[1..];
            }
        }
        else if (text.IndexOf(':') is int colon and >= 0 && text.IndexOf(':', colon + 1) < 0)
        {
            // Exactly one colon: IPv4 (or a name) with a port. Two or more: a bare IPv6 address.
            host = text[..colon];
            port = text[(colon + 1)..];
        }
        if (!IPAddress.TryParse(host, out var address))
            return Reason($"'{host}' is not an IPv4 or IPv6 address (host names are not resolved here)", out reason);
        if (text.StartsWith('[') && address.AddressFamily != AddressFamily.InterNetworkV6)
            return Reason("brackets are for IPv6 addresses", out reason);
        int portNumber = defaultPort;
        if (port is not null && !TryPort(port, out portNumber))
            return Reason($"port '{port}' is not a number from 1 to 65535", out reason);
        endpoint = new IPEndPoint(address, portNumber);
        return true;
    }

    private static bool TryPlain(string value, string rest, UpstreamTransport transport, int port, out UpstreamEndpoint upstream, out string? error)
    {
        upstream = null!;
        if (rest.IndexOfAny(['/', '?', '#']) >= 0)
            return Fail(value, "a path, query or '#name' is only for tls:// and https://", out error);
        if (!TryParseAddress(rest, port, out var endpoint, out string? reason))
            return Fail(value, reason!, out error);
        upstream = new UpstreamEndpoint(transport, endpoint, null, null, [], useGet: false, hasAddress: true);
        error = null;
        return true;
    }

    private static bool TryTls(string value, string rest, out UpstreamEndpoint upstream, out string? error)
    {
        upstream = null!;
        string? name = null;
        int hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            name = rest[(hash + 1)..];
            rest = rest[..hash];
            if (!IsHostName(name))
                return Fail(value, $"'#{name}' is not a host name for the certificate", out error);
        }
        var parameters = new List<(string Key, string Value)>();
        if (!TrySplitQuery(value, ref rest, parameters, out error))
            return false;
        if (rest.Contains('/'))
            return Fail(value, "tls:// takes no path", out error);
        if (!TryParseAddress(rest, TlsPort, out var endpoint, out string? reason))
            return Fail(value, reason!, out error);
        var pins = new List<byte[]>();
        foreach (var (key, text) in parameters)
        {
            if (key != "pin-sha256")
                return Fail(value, $"unknown parameter '{key}' (tls:// takes pin-sha256)", out error);
            if (!TryPin(value, text, pins, out error))
                return false;
        }
        upstream = new UpstreamEndpoint(UpstreamTransport.Tls, endpoint, name, null, pins, useGet: false, hasAddress: true);
        error = null;
        return true;
    }

    /// <summary>Takes a '?key=value&amp;...' part off the end of <paramref name="rest"/> into <paramref name="parameters"/>.</summary>
    private static bool TrySplitQuery(string value, ref string rest, List<(string Key, string Value)> parameters, out string? error)
    {
        error = null;
        int question = rest.IndexOf('?');
        if (question < 0)
            return true;
        if (!TryParameters(value, rest[(question + 1)..], parameters, out error))
            return false;
        rest = rest[..question];
        return true;
    }

    private static bool TryHttps(string value, string rest, out UpstreamEndpoint upstream, out string? error)
    {
        upstream = null!;
        var parameters = new List<(string Key, string Value)>();
        if (!TrySplitQuery(value, ref rest, parameters, out error))
            return false;
        if (rest.Contains('#'))
            return Fail(value, "https:// takes no '#'; the certificate must carry the URI's host", out error);
        int slash = rest.IndexOf('/');
        string authority = slash < 0 ? rest : rest[..slash];
        string path = slash < 0 || slash == rest.Length - 1 ? "/dns-query" : rest[slash..];
        if (!TryAuthority(value, authority, out string host, out IPAddress? literal, out int port, out error))
            return false;
        IPAddress? bootstrap = null;
        bool useGet = false;
        var pins = new List<byte[]>();
        foreach (var (key, text) in parameters)
        {
            switch (key)
            {
                case "bootstrap" when IPAddress.TryParse(text.Trim('[', ']'), out var address):
                    bootstrap = address;
                    break;
                case "bootstrap":
                    return Fail(value, $"bootstrap '{text}' is not an IPv4 or IPv6 address", out error);
                case "method" when text.Equals("get", StringComparison.OrdinalIgnoreCase) || text.Equals("post", StringComparison.OrdinalIgnoreCase):
                    useGet = text.Equals("get", StringComparison.OrdinalIgnoreCase);
                    break;
                case "method":
                    return Fail(value, $"method '{text}' is neither get nor post", out error);
                case "pin-sha256":
                    if (!TryPin(value, text, pins, out error))
                        return false;
                    break;
                default:
                    return Fail(value, $"unknown parameter '{key}' (https:// takes bootstrap, method, pin-sha256)", out error);
            }
        }
        if (literal is not null && bootstrap is not null)
            return Fail(value, "bootstrap is for a host given by name; this one is an address already", out error);
        if (!Uri.TryCreate("https://" + authority + path, UriKind.Absolute, out var uri))
            return Fail(value, $"'{path}' is not a URI path", out error);
        var connectTo = literal ?? bootstrap;
        upstream = new UpstreamEndpoint(UpstreamTransport.Https, new IPEndPoint(connectTo ?? IPAddress.Any, port),
            literal is null ? host : null, uri, pins, useGet, hasAddress: connectTo is not null);
        error = null;
        return true;
    }

    private static bool TryAuthority(string value, string authority, out string host, out IPAddress? literal, out int port, out string? error)
    {
        literal = null;
        port = HttpsPort;
        host = authority;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(authority[1..close], out literal) || literal.AddressFamily != AddressFamily.InterNetworkV6)
                return Fail(value, $"'{authority}' is not [IPv6]:PORT", out error);
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                    return Fail(value, "expected ':port' after ']'", out error);
                portText = authority[(close + 2)..];
            }
            host = literal.ToString();
        }
        else
        {
            int colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                portText = authority[(colon + 1)..];
                host = authority[..colon];
            }
            if (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork)
                literal = address;
            else if (!IsHostName(host))
                return Fail(value, $"'{host}' is neither a host name nor an IPv4 address (IPv6 goes in brackets)", out error);
        }
        if (portText is not null && !TryPort(portText, out port))
            return Fail(value, $"port '{portText}' is not a number from 1 to 65535", out error);
        error = null;
        return true;
    }

    private static bool TryParameters(string value, string query, List<(string Key, string Value)> parameters, out string? error)
    {
        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=');
            if (equals <= 0)
                return Fail(value, $"parameter '{part}' is not KEY=VALUE", out error);
            parameters.Add((part[..equals].ToLowerInvariant(), Uri.UnescapeDataString(part[(equals + 1)..])));
        }
        error = null;
        return true;
    }

    /// <summary>RFC 7858 §4.2 / RFC 7469 §2.4: base64 of the SHA-256 digest of the SubjectPublicKeyInfo, 32 octets.</summary>
    private static bool TryPin(string value, string text, List<byte[]> pins, out string? error)
    {
        var digest = new byte[32];
        if (!Convert.TryFromBase64String(text.Trim('"'), digest, out int written) || written != 32)
            return Fail(value, $"pin-sha256 '{text}' is not the base64 of a 32-octet SHA-256 digest", out error);
        pins.Add(digest);
        error = null;
        return true;
    }

    private static bool IsHostName(string name)
    {
        if (name.Length is 0 or > 253)
            return false;
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
                return false;
            foreach (char c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                    return false;
            }
        }
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static bool Reason(string text, out string? reason)
    {
        reason = text;
        return false;
    }

    private static bool Fail(string value, string reason, out string? error)
    {
        error = $"upstream '{value}': {reason}; {Expected}";
        return false;
    }
}
