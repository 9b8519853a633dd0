using System.Buffers.Binary;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// Signatures this process has already verified, so the same signed RRset seen again costs a comparison instead of a
/// public-key operation. The common case is a wildcard zone: every name under <c>*.w.example.</c> comes with the same
/// NSEC and the same RRSIG over it, and checking that one twice per miss doubled a validated miss's crypto (Unbound
/// keeps such an RRset as validated in its RRset cache for the same reason).
/// <para>
/// Safe because a verification is a pure function of (key, signed data, signature): an entry is used only when all
/// three are exactly what was verified, so a changed record, another key or another signature is verified afresh. The
/// validity window is checked by the caller every time, before this is asked. Bounded: a direct-mapped table of
/// <see cref="Slots"/> entries indexed by the signature's first octets (signatures are random-looking), a new entry
/// replacing whatever held its slot; reads and writes are single reference assignments, so no lock is needed.
/// </para>
/// </summary>
internal static class VerifiedSignatures
{
    private const int Slots = 2048;

    private static readonly Entry?[] Table = new Entry?[Slots];

    private sealed record Entry(DnskeyRecordData Key, byte[] Signature, byte[] SignedData);

    public static bool Contains(DnskeyRecordData key, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature)
    {
        var entry = Volatile.Read(ref Table[SlotOf(signature)]);
        return entry is not null && ReferenceEquals(entry.Key, key)
            && signature.SequenceEqual(entry.Signature) && signedData.SequenceEqual(entry.SignedData);
    }

    public static void Add(DnskeyRecordData key, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature) =>
        Volatile.Write(ref Table[SlotOf(signature)], new Entry(key, signature.ToArray(), signedData.ToArray()));

    private static int SlotOf(ReadOnlySpan<byte> signature) =>
        signature.Length >= 4 ? (int)(BinaryPrimitives.ReadUInt32LittleEndian(signature) % Slots) : signature.Length;
}
