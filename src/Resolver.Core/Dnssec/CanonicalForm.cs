using System.Buffers.Binary;
using Resolver.Protocol;
using Resolver.Protocol.Names;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4034 §6: the canonical form of records and RRsets, and the data an RRSIG signs
/// (§3.1.8.1): RRSIG RDATA without the signature, then every RR of the set in canonical order,
/// each as owner | type | class | original TTL | RDLENGTH | canonical RDATA.
/// </summary>
public static class CanonicalForm
{
    /// <summary>
    /// RDATA with the embedded names lower-cased for the types of RFC 4034 §6.2 item 3 as amended
    /// by RFC 6840 §5.1 (NSEC's next name is no longer lower-cased). Names are never compressed.
    /// </summary>
    public static byte[] Rdata(DnsRecord record)
    {
        var wire = record.Data.ToWire();
        switch (record.Type)
        {
            case RecordType.NS or RecordType.CNAME or RecordType.PTR or RecordType.DNAME:
                LowerName(wire, 0);
                break;
            case RecordType.SOA:
                LowerName(wire, LowerName(wire, 0));
                break;
            case RecordType.MX:
                LowerName(wire, 2);
                break;
            case RecordType.SRV:
                LowerName(wire, 6);
                break;
            case RecordType.RRSIG:
                LowerName(wire, 18);
                break;
            case RecordType.NAPTR:
                int position = 4;
                for (int i = 0; i < 3 && position < wire.Length; i++)
                    position += 1 + wire[position];
                LowerName(wire, position);
                break;
        }
        return wire;
    }

    /// <summary>
    /// The octets an RRSIG's signature covers. <paramref name="rrset"/> is one RRset (same owner,
    /// type, class); the owner is written as the signer saw it: lower-cased, and for a wildcard
    /// expansion (RRSIG labels fewer than the owner's, RFC 4035 §5.3.2) as "*." + the rightmost labels.
    /// </summary>
    public static byte[] SignedData(IReadOnlyList<DnsRecord> rrset, RrsigRecordData rrsig)
    {
        var owner = SignedOwner(rrset[0].Name, rrsig.Labels);
        var rdatas = new List<byte[]>(rrset.Count);
        foreach (var record in rrset)
            rdatas.Add(Rdata(record));
        // §6.3: RRs sorted by canonical RDATA as left-justified unsigned octet strings; duplicates removed (§6.3, RFC 2181 §5).
        rdatas.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var output = new MemoryStream();
        WriteRrsigPrefix(output, rrsig);
        Span<byte> fixedPart = stackalloc byte[10];
        byte[]? previous = null;
        foreach (var rdata in rdatas)
        {
            if (previous is not null && previous.AsSpan().SequenceEqual(rdata))
                continue;
            previous = rdata;
            output.Write(owner);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)rrset[0].Type);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], (ushort)rrset[0].Class);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], rrsig.OriginalTtl);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)rdata.Length);
            output.Write(fixedPart);
            output.Write(rdata);
        }
        return output.ToArray();
    }

    /// <summary>The owner in the signed data: lower-cased, wildcard-expanded names as "*." + the RRSIG's labels (RFC 4035 §5.3.2).</summary>
    public static byte[] SignedOwner(DnsName owner, int rrsigLabels)
    {
        var lower = owner.ToLowerInvariant();
        int labels = CountLabels(lower);
        if (rrsigLabels >= labels)
            return lower.Wire.ToArray();
        var suffix = lower.Wire;
        for (int i = 0; i < labels - rrsigLabels; i++)
            suffix = suffix[(1 + suffix[0])..];
        var wire = new byte[2 + suffix.Length];
        wire[0] = 1;
        wire[1] = (byte)'*';
        suffix.CopyTo(wire.AsSpan(2));
        return wire;
    }

    /// <summary>RFC 4034 §3.1.3: the label count of an owner, not counting the root nor a leading "*" label.</summary>
    public static int CountLabels(DnsName name)
    {
        int labels = name.LabelCount;
        return labels > 0 && IsWildcard(name) ? labels - 1 : labels;
    }

    public static bool IsWildcard(DnsName name) => name.Wire.Length > 2 && name.Wire[0] == 1 && name.Wire[1] == (byte)'*';

    private static void WriteRrsigPrefix(MemoryStream output, RrsigRecordData rrsig)
    {
        Span<byte> prefix = stackalloc byte[18];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)rrsig.TypeCovered);
        prefix[2] = rrsig.Algorithm;
        prefix[3] = rrsig.Labels;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[4..], rrsig.OriginalTtl);
        BinaryPrimitives.WriteUInt32BigEndian(prefix[8..], rrsig.Expiration);
        BinaryPrimitives.WriteUInt32BigEndian(prefix[12..], rrsig.Inception);
        BinaryPrimitives.WriteUInt16BigEndian(prefix[16..], rrsig.KeyTag);
        output.Write(prefix);
        output.Write(rrsig.SignerName.ToLowerInvariant().Wire);
    }

    /// <summary>Lower-cases the uncompressed name at <paramref name="offset"/>; returns the offset after it.</summary>
    private static int LowerName(byte[] wire, int offset)
    {
        int position = offset;
        while (position < wire.Length && wire[position] != 0)
        {
            int length = wire[position];
            int end = Math.Min(wire.Length, position + 1 + length);
            for (int i = position + 1; i < end; i++)
                wire[i] = WireNameComparer.ToLower(wire[i]);
            position = end;
        }
        return position + 1;
    }
}
