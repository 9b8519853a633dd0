using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Upstreams;

/// <summary>How queries reach an upstream server; chosen by the scheme of its URI.</summary>
public enum UpstreamTransport
{
    /// <summary>UDP, TCP when the answer is truncated (RFC 7766 §5): plain <c>ADDR[:PORT]</c> or <c>udp://</c>.</summary>
    Udp,

    /// <summary>TCP only, one pipelined connection (RFC 7766 §6.2.1.1): <c>tcp://</c>.</summary>
    Tcp,

    /// <summary>DNS over TLS (RFC 7858), one pipelined connection: <c>tls://</c>.</summary>
    Tls,

    /// <summary>DNS over HTTPS (RFC 8484), HTTP/2 with HTTP/1.1 fallback: <c>https://</c>.</summary>
    Https,
}

/// <summary>
/// One upstream as configured: its transport, the address to connect to, and for the encrypted transports the name
/// its certificate must carry and an optional SPKI pin set (RFC 7858 §4.2). Immutable; two equal texts are one
/// upstream. Made by <see cref="UpstreamUri.TryParse"/>.
/// </summary>
public sealed class UpstreamEndpoint : IEquatable<UpstreamEndpoint>
{
    internal UpstreamEndpoint(UpstreamTransport transport, IPEndPoint address, string? authenticationName, Uri? uri,
        IReadOnlyList<byte[]> pins, bool useGet, bool hasAddress)
    {
        Transport = transport;
        Address = address;
        AuthenticationName = authenticationName;
        Uri = uri;
        Pins = pins;
        UseGet = useGet;
        HasAddress = hasAddress;
        Text = Format();
    }

    /// <summary>A plain UDP upstream (with TCP after TC=1), as an IP endpoint has always meant.</summary>
    public static UpstreamEndpoint Udp(IPEndPoint address) =>
        new(UpstreamTransport.Udp, address, null, null, [], useGet: false, hasAddress: true);

    public UpstreamTransport Transport { get; }

    /// <summary>
    /// Where to connect. For an https upstream named by a host name without a bootstrap address the address is
    /// <see cref="IPAddress.Any"/> (see <see cref="HasAddress"/>): the host name is resolved by the system when connecting.
    /// </summary>
    public IPEndPoint Address { get; }

    /// <summary>False for an https host name without a bootstrap address.</summary>
    public bool HasAddress { get; }

    /// <summary>
    /// The name the server's certificate must carry (tls: the <c>#NAME</c>; https: the URI's host). Null for a tls
    /// upstream without a name: the certificate must then carry the IP address.
    /// </summary>
    public string? AuthenticationName { get; }

    /// <summary>The DoH URI (RFC 8484 §3), https only.</summary>
    public Uri? Uri { get; }

    /// <summary>SHA-256 digests of SubjectPublicKeyInfo; when not empty one certificate of the chain must match one.</summary>
    public IReadOnlyList<byte[]> Pins { get; }

    /// <summary>https: GET with <c>?dns=</c> (RFC 8484 §4.1) instead of POST.</summary>
    public bool UseGet { get; }

    public bool IsEncrypted => Transport is UpstreamTransport.Tls or UpstreamTransport.Https;

    /// <summary>The canonical text ("192.0.2.1:53", "tls://192.0.2.1:853#dns.example"), also the metric tag.</summary>
    public string Text { get; }

    /// <summary>The name a TLS handshake is checked against (and sent as SNI when it is not an IP address).</summary>
    internal string TargetHost => AuthenticationName ?? Address.Address.ToString();

    public bool Equals(UpstreamEndpoint? other) => other is not null && Text == other.Text && PinsText() == other.PinsText();

    public override bool Equals(object? obj) => Equals(obj as UpstreamEndpoint);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    private string PinsText() => string.Join(',', Pins.Select(Convert.ToBase64String));

    private string Format()
    {
        string address = FormatAddress(Address);
        return Transport switch
        {
            UpstreamTransport.Udp => address,
            UpstreamTransport.Tcp => "tcp://" + address,
            UpstreamTransport.Tls => "tls://" + address + (AuthenticationName is null ? "" : "#" + AuthenticationName),
            _ => Uri!.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
                 + (HasAddress && Uri.HostNameType == UriHostNameType.Dns ? "@" + Address.Address : ""),
        };
    }

    /// <summary>"192.0.2.1:53", "[::1]:5300".</summary>
    public static string FormatAddress(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + endpoint.Address + "]:" + endpoint.Port.ToString(CultureInfo.InvariantCulture)
            : endpoint.Address + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
}
