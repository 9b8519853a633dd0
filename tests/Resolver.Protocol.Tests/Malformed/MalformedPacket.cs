namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// Building blocks for hand-made packets and the one assertion every malformed case makes:
/// the codec throws <see cref="DnsFormatException"/>, names the problem and points at the offset.
/// </summary>
internal static class MalformedPacket
{
    /// <summary>"a.test." A IN at offset 12: name 12..19, type and class 20..23; the next section starts at 24.</summary>
    public static readonly byte[] QuestionATestA =
    [
        0x01, (byte)'a', 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0x00, // a.test.
        0x00, 0x01, // TYPE A
        0x00, 0x01, // CLASS IN
    ];

    /// <summary>Fixed part of an A record after its owner: type A, class IN, TTL 3600.</summary>
    public static readonly byte[] TypeAClassInTtl3600 = [0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10];

    /// <summary>An A record 192.0.2.1 owned by the question name (pointer to 12): 16 octets.</summary>
    public static readonly byte[] AnswerA =
    [
        0xC0, 0x0C, // owner: pointer to a.test. at 12
        0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, // A IN TTL 3600
        0x00, 0x04, // RDLENGTH 4
        0xC0, 0x00, 0x02, 0x01, // 192.0.2.1
    ];

    /// <summary>An OPT record: root owner, UDP size 1232, no flags, no options (11 octets).</summary>
    public static readonly byte[] Opt = [0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    /// <summary>A 12-byte header: ID 0x1234, RD set, then the four counts.</summary>
    public static byte[] Header(ushort questions, ushort answers = 0, ushort authorities = 0, ushort additionals = 0, ushort flags = 0x0100) =>
    [
        0x12, 0x34, (byte)(flags >> 8), (byte)flags,
        (byte)(questions >> 8), (byte)questions, (byte)(answers >> 8), (byte)answers,
        (byte)(authorities >> 8), (byte)authorities, (byte)(additionals >> 8), (byte)additionals,
    ];

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var part in parts)
            all.AddRange(part);
        return [.. all];
    }

    /// <summary>A label of <paramref name="length"/> copies of <paramref name="letter"/>, length octet first.</summary>
    public static byte[] Label(int length, char letter)
    {
        var label = new byte[1 + length];
        label[0] = (byte)length;
        label.AsSpan(1).Fill((byte)letter);
        return label;
    }

    /// <summary>Asserts the full parser rejects the packet with the given problem at the given offset.</summary>
    public static DnsFormatException ParseRejects(byte[] packet, string problem, int offset)
    {
        var error = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet), "Parse accepted " + Convert.ToHexString(packet))!;
        AssertNames(error, problem, offset, packet);
        return error;
    }

    /// <summary>Asserts the server's allocation-free reader rejects the packet with the given problem at the given offset.</summary>
    public static DnsFormatException QueryReaderRejects(byte[] packet, string problem, int offset)
    {
        var nameBuffer = new byte[255];
        var error = Assert.Throws<DnsFormatException>(() => QueryReader.Read(packet, nameBuffer), "QueryReader accepted " + Convert.ToHexString(packet))!;
        AssertNames(error, problem, offset, packet);
        return error;
    }

    private static void AssertNames(DnsFormatException error, string problem, int offset, byte[] packet)
    {
        string packetText = Convert.ToHexString(packet);
        Assert.Multiple(() =>
        {
            Assert.That(error.Problem, Does.Contain(problem), packetText);
            Assert.That(error.Offset, Is.EqualTo(offset), $"offset of '{error.Problem}' in {packetText}");
            Assert.That(error.Message, Does.Contain(problem).And.Contain("offset " + offset));
        });
    }
}
