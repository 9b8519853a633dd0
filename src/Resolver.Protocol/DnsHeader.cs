using System.Buffers.Binary;

namespace Resolver.Protocol;

/// <summary>
/// The 12-byte message header (RFC 1035 §4.1.1) with the AD and CD bits of RFC 4035 §3.2.
/// A plain value: reading and writing it never allocates.
/// </summary>
public struct DnsHeader
{
    public const int Size = 12;

    public ushort Id;

    /// <summary>The second 16-bit word: QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, RCODE.</summary>
    public ushort Flags;

    public ushort QuestionCount;
    public ushort AnswerCount;
    public ushort AuthorityCount;
    public ushort AdditionalCount;

    public bool IsResponse { readonly get => (Flags & HeaderFlags.QR) != 0; set => SetBit(HeaderFlags.QR, value); }
    public bool AuthoritativeAnswer { readonly get => (Flags & HeaderFlags.AA) != 0; set => SetBit(HeaderFlags.AA, value); }
    public bool Truncated { readonly get => (Flags & HeaderFlags.TC) != 0; set => SetBit(HeaderFlags.TC, value); }
    public bool RecursionDesired { readonly get => (Flags & HeaderFlags.RD) != 0; set => SetBit(HeaderFlags.RD, value); }
    public bool RecursionAvailable { readonly get => (Flags & HeaderFlags.RA) != 0; set => SetBit(HeaderFlags.RA, value); }

    /// <summary>The reserved Z bit (must be zero in queries, RFC 1035 §4.1.1); kept so messages round-trip.</summary>
    public bool Z { readonly get => (Flags & HeaderFlags.Z) != 0; set => SetBit(HeaderFlags.Z, value); }
    public bool AuthenticData { readonly get => (Flags & HeaderFlags.AD) != 0; set => SetBit(HeaderFlags.AD, value); }
    public bool CheckingDisabled { readonly get => (Flags & HeaderFlags.CD) != 0; set => SetBit(HeaderFlags.CD, value); }

    public DnsOpcode Opcode
    {
        readonly get => (DnsOpcode)((Flags >> 11) & 0xF);
        set => Flags = (ushort)((Flags & ~0x7800) | (((int)value & 0xF) << 11));
    }

    /// <summary>The low four bits of the RCODE; the upper eight live in OPT (RFC 6891 §6.1.3).</summary>
    public byte ResponseCodeLow
    {
        readonly get => (byte)(Flags & 0xF);
        set => Flags = (ushort)((Flags & ~0xF) | (value & 0xF));
    }

    /// <summary>Reads a header; throws <see cref="DnsFormatException"/> when fewer than 12 bytes are given.</summary>
    public static DnsHeader Read(ReadOnlySpan<byte> message)
    {
        if (!TryRead(message, out var header))
            throw new DnsFormatException($"message of {message.Length} bytes is shorter than the 12-byte header", message.Length);
        return header;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < Size)
        {
            header = default;
            return false;
        }
        header = new DnsHeader
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(message),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            AnswerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            AuthorityCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            AdditionalCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]),
        };
        return true;
    }

    /// <summary>Writes the header into the first 12 bytes of <paramref name="destination"/>.</summary>
    public readonly void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
    }

    private void SetBit(ushort bit, bool value) => Flags = value ? (ushort)(Flags | bit) : (ushort)(Flags & ~bit);
}
