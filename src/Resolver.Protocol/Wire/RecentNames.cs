using System.Runtime.CompilerServices;

namespace Resolver.Protocol.Wire;

/// <summary>
/// The last few names a <see cref="DnsReader"/> produced, by the offset their octets start at.
/// An owner that is a bare pointer to such an offset ("C0 0C": almost every answer) reuses the
/// <see cref="DnsName"/> instead of decompressing and allocating it again. Sharing is safe:
/// names are immutable, and since pointers only go backwards the name at an offset reads the
/// same whether it is reached directly or through a pointer.
/// </summary>
internal struct RecentNames
{
    private const int Size = 4;

    private Offsets _offsets;
    private Names _names;
    private int _count;
    private int _next;

    public readonly DnsName? Find(int offset)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_offsets[i] == offset)
                return _names[i];
        }
        return null;
    }

    public void Add(int offset, DnsName name)
    {
        _offsets[_next] = offset;
        _names[_next] = name;
        _next = (_next + 1) % Size;
        if (_count < Size)
            _count++;
    }

    [InlineArray(Size)]
    private struct Offsets
    {
        private int _element;
    }

    [InlineArray(Size)]
    private struct Names
    {
        private DnsName? _element;
    }
}
