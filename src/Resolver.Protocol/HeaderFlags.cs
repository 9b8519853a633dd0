namespace Resolver.Protocol;

/// <summary>
/// The bits of the header's second word (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2), for
/// code that patches a header in place. One definition for every reader and writer of headers.
/// </summary>
public static class HeaderFlags
{
    public const ushort QR = 0x8000;
    public const ushort AA = 0x0400;
    public const ushort TC = 0x0200;
    public const ushort RD = 0x0100;
    public const ushort RA = 0x0080;
    public const ushort Z = 0x0040;
    public const ushort AD = 0x0020;
    public const ushort CD = 0x0010;
}
