using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Parses upstream addresses as written in configuration and on the command line:
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
        endpoint = new IPEndPoint(IPAddress.None, 0);
        error = null;
        string value = text?.Trim() ?? "";
        if (value.Length == 0)
            return Fail(value, "the address is empty", out error);
        string host = value;
        string? port = null;
        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']');
            if (close < 0)
                return Fail(value, "'[' without ']'", out error);
            host = value[1..close];
            string rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                    return Fail(value, "expected ':port' after ']'", out error);
                port = rest[1..];
            }
        }
        else if (value.IndexOf(':') is int colon and >= 0 && value.IndexOf(':', colon + 1) < 0)
        {
            // Exactly one colon: IPv4 (or a name) with a port. Two or more: a bare IPv6 address.
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        if (!IPAddress.TryParse(host, out var address))
            return Fail(value, $"'{host}' is not an IPv4 or IPv6 address (host names are not resolved here)", out error);
        if (value.StartsWith('[') && address.AddressFamily != AddressFamily.InterNetworkV6)
            return Fail(value, "brackets are for IPv6 addresses", out error);
        int portNumber = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
            return Fail(value, $"port '{port}' is not a number from 1 to 65535", out error);
        endpoint = new IPEndPoint(address, portNumber);
        return true;
    }

    /// <summary>The address as configuration would write it ("192.0.2.1:53", "[::1]:5300"); used as metric tag.</summary>
    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + endpoint.Address + "]:" + endpoint.Port.ToString(CultureInfo.InvariantCulture)
            : endpoint.Address + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);

    private static bool Fail(string value, string reason, out string error)
    {
        error = $"upstream '{value}': {reason}; expected address[:port] such as 192.0.2.1:53 or [::1]:5300";
        return false;
    }
}
