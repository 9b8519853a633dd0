using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Edns;

/// <summary>DNS Cookie (RFC 7873 §4): an 8-octet client cookie and an optional 8-32 octet server cookie.</summary>
public sealed class CookieOption(byte[] clientCookie, byte[] serverCookie) : EdnsOption
{
    public override ushort Code => (ushort)EdnsOptionCode.Cookie;
    public byte[] ClientCookie { get; } = clientCookie;
    public byte[] ServerCookie { get; } = serverCookie;

    public static CookieOption Read(ref DnsReader reader, int length)
    {
        // RFC 7873 §5.2.2: a total length of 8, or 16 to 40, else FORMERR.
        if (length != 8 && (length < 16 || length > 40))
            throw new DnsFormatException($"cookie option of {length} octets (must be 8 or 16-40)", reader.Position);
        return new CookieOption(reader.ReadBytes(8, "client cookie"), reader.ReadBytes(length - 8, "server cookie"));
    }

    public override void WriteData(ref DnsWriter writer)
    {
        writer.WriteBytes(ClientCookie);
        writer.WriteBytes(ServerCookie);
    }

    public override string ToString() => "COOKIE: " + Convert.ToHexString(ClientCookie).ToLowerInvariant() + Convert.ToHexString(ServerCookie).ToLowerInvariant();
}
