using System.Globalization;
using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// CAA (RFC 8659 §4.1): flags, a tag ("issue", "issuewild", "iodef", ...) and a value that runs
/// to the end of the RDATA. Printed as dig does: <c>0 issue "ca.example.net"</c>.
/// </summary>
public sealed class CaaRecordData : DnsRecordData
{
    public CaaRecordData(byte flags, string tag, byte[] value)
    {
        if (!IsValidTag(Encoding.ASCII.GetBytes(tag)))
            throw new ArgumentException("CAA tag must be 1 to 255 ASCII letters and digits", nameof(tag));
        Flags = flags;
        Tag = tag;
        Value = value;
    }

    public byte Flags { get; }

    /// <summary>True when the issuer-critical flag (bit 0, value 128) is set.</summary>
    public bool IsCritical => (Flags & 0x80) != 0;

    public string Tag { get; }

    public byte[] Value { get; }

    public static CaaRecordData Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        byte flags = reader.ReadByte();
        int tagLength = reader.ReadByte();
        var tag = reader.ReadSpan(tagLength, "CAA tag");
        // RFC 8659 §4.1.1: the tag is at least one octet of letters and digits only.
        if (!IsValidTag(tag))
            throw new DnsFormatException("CAA tag must be 1 or more ASCII letters and digits", start + 1);
        return new CaaRecordData(flags, Encoding.ASCII.GetString(tag), reader.ReadBytes(length - 2 - tagLength, "CAA value"));
    }

    internal static CaaRecordData ParseText(RdataTokenReader tokens)
    {
        byte flags = tokens.ReadByte("flags");
        var tag = tokens.Next("tag");
        if (tag.Quoted || !IsValidTag(Encoding.ASCII.GetBytes(tag.Text)))
            throw tokens.Error($"tag '{tag.Text}' must be ASCII letters and digits");
        return new CaaRecordData(flags, tag.Text, tokens.ReadEscaped("value"));
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteByte(Flags);
        writer.WriteCharacterString(Encoding.ASCII.GetBytes(Tag));
        writer.WriteBytes(Value);
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Flags.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Tag).Append(' ');
        CharacterStringText.AppendQuoted(builder, Value);
        return builder.ToString();
    }

    private static bool IsValidTag(ReadOnlySpan<byte> tag)
    {
        if (tag.Length is 0 or > 255)
            return false;
        foreach (byte octet in tag)
        {
            if (!char.IsAsciiLetterOrDigit((char)octet))
                return false;
        }
        return true;
    }
}
