using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Cache;

/// <summary>
/// What a cached answer is filed under: the lower-cased wire name (RFC 4343: names compare
/// without ASCII case), type, class, and the DO and CD bits (an answer with RRSIGs, or one the
/// upstream did not validate, must not reach a client that asked otherwise).
/// MemoryCache keys are objects, so the hit path looks up with one reusable key per thread
/// (<see cref="ForLookup"/>), which is never stored; entries are filed under an immutable copy.
/// </summary>
public sealed class CacheKey : IEquatable<CacheKey>
{
    private const byte DnssecOkFlag = 1;
    private const byte CheckingDisabledFlag = 2;

    [ThreadStatic]
    private static CacheKey? t_lookup;

    private readonly byte[] _name;
    private readonly bool _reusable;
    private int _nameLength;
    private RecordType _type;
    private RecordClass _class;
    private byte _flags;
    private int _hash;

    private CacheKey(byte[] name, bool reusable)
    {
        _name = name;
        _reusable = reusable;
    }

    public RecordType Type => _type;

    public RecordClass Class => _class;

    public bool DnssecOk => (_flags & DnssecOkFlag) != 0;

    public bool CheckingDisabled => (_flags & CheckingDisabledFlag) != 0;

    /// <summary>The lower-cased uncompressed wire name.</summary>
    public ReadOnlySpan<byte> Name => _name.AsSpan(0, _nameLength);

    /// <summary>True for the per-thread lookup key, which must never be stored.</summary>
    internal bool IsLookupKey => _reusable;

    /// <summary>An immutable key, for storing and for coalescing in-flight queries.</summary>
    public static CacheKey Create(ReadOnlySpan<byte> wireName, RecordType type, RecordClass recordClass, bool dnssecOk, bool checkingDisabled)
    {
        var key = new CacheKey(new byte[wireName.Length], reusable: false);
        key.Fill(wireName, type, recordClass, dnssecOk, checkingDisabled);
        return key;
    }

    /// <summary>
    /// The calling thread's reusable key, filled for this question. Valid until the thread's
    /// next call; allocation-free after the thread's first call.
    /// </summary>
    internal static CacheKey ForLookup(ReadOnlySpan<byte> wireName, RecordType type, RecordClass recordClass, bool dnssecOk, bool checkingDisabled)
    {
        var key = t_lookup ??= new CacheKey(new byte[WireNameReader.MaxNameLength], reusable: true);
        key.Fill(wireName, type, recordClass, dnssecOk, checkingDisabled);
        return key;
    }

    /// <summary>
    /// True when the key's name is <paramref name="lowerSuffix"/> (lower-cased wire form) or lies
    /// below it: the suffix must start at a label boundary, so "ample." does not match "example.".
    /// </summary>
    internal bool IsAtOrBelow(ReadOnlySpan<byte> lowerSuffix)
    {
        var name = Name;
        int start = name.Length - lowerSuffix.Length;
        if (start < 0)
            return false;
        int position = 0;
        while (position < start)
            position += 1 + name[position];
        return position == start && name[start..].SequenceEqual(lowerSuffix);
    }

    /// <summary>An immutable copy of this key (the lookup key is copied before anything is stored).</summary>
    public CacheKey ToImmutable() =>
        _reusable ? Create(Name, _type, _class, DnssecOk, CheckingDisabled) : this;

    private void Fill(ReadOnlySpan<byte> wireName, RecordType type, RecordClass recordClass, bool dnssecOk, bool checkingDisabled)
    {
        if (wireName.Length > _name.Length)
            throw new ArgumentException("name longer than 255 octets", nameof(wireName));
        var name = _name.AsSpan(0, wireName.Length);
        wireName.CopyTo(name);
        WireNameComparer.ToLowerInPlace(name);
        _nameLength = wireName.Length;
        _type = type;
        _class = recordClass;
        _flags = (byte)((dnssecOk ? DnssecOkFlag : 0) | (checkingDisabled ? CheckingDisabledFlag : 0));
        var hash = new HashCode();
        hash.AddBytes(name);
        hash.Add((ushort)type);
        hash.Add((ushort)recordClass);
        hash.Add(_flags);
        _hash = hash.ToHashCode();
    }

    // Both names are already lower-cased, so an exact comparison is the case-insensitive one.
    public bool Equals(CacheKey? other) =>
        other is not null && other._hash == _hash && other._type == _type && other._class == _class
        && other._flags == _flags && other.Name.SequenceEqual(Name);

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString() =>
        $"{DnsName.FromWire(Name)} {_type} {_class}{(DnssecOk ? " DO" : "")}{(CheckingDisabled ? " CD" : "")}";
}
