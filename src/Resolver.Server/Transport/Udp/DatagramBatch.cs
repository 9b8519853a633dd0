using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Resolver.Server.Transport.Udp.LinuxDatagramCalls;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// The buffers of one receive loop's recvmmsg/sendmmsg calls: a slot per datagram (its bytes and the sender's
/// sockaddr), and a queue of answers, each copied into a slot of its own and addressed to the sender of the
/// datagram it answers. Received bytes and queued answers live in pinned arrays, the call structures in native
/// memory, all made once. Owned by one receive loop; never shared.
/// </summary>
internal sealed unsafe class DatagramBatch : IDisposable
{
    // sockaddr_in6 is 28 octets; sockaddr_in 16.
    private const int AddressSpace = 32;

    private readonly int capacity;
    private readonly int slotLength;
    private readonly int answerLength;
    private readonly byte[] receiveArena;
    private readonly byte[] answerArena;
    private readonly MultiMessageHeader* received;
    private readonly MultiMessageHeader* answers;
    private readonly IoVector* receiveVectors;
    private readonly IoVector* answerVectors;
    private readonly byte* addresses;
    private readonly bool[] answerFailed;
    private int queued;

    /// <param name="capacity">Datagrams per call.</param>
    /// <param name="slotLength">Octets kept of each datagram; a longer one is reported by <see cref="IsCut"/>.</param>
    /// <param name="answerLength">The largest answer queued.</param>
    public DatagramBatch(int capacity, int slotLength, int answerLength)
    {
        this.capacity = capacity;
        this.slotLength = slotLength;
        this.answerLength = answerLength;
        receiveArena = GC.AllocateUninitializedArray<byte>(capacity * slotLength, pinned: true);
        answerArena = GC.AllocateUninitializedArray<byte>(capacity * answerLength, pinned: true);
        answerFailed = new bool[capacity];
        received = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(MultiMessageHeader));
        answers = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(MultiMessageHeader));
        receiveVectors = (IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(IoVector));
        answerVectors = (IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(IoVector));
        addresses = (byte*)NativeMemory.AllocZeroed((nuint)capacity, AddressSpace);
        byte* receiveBase = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(receiveArena, 0);
        byte* answerBase = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(answerArena, 0);
        for (int i = 0; i < capacity; i++)
        {
            receiveVectors[i] = new IoVector { Base = receiveBase + (i * slotLength), Length = (nuint)slotLength };
            received[i].Header.Vectors = &receiveVectors[i];
            received[i].Header.VectorCount = 1;
            received[i].Header.Name = addresses + (i * AddressSpace);
            answerVectors[i].Base = answerBase + (i * answerLength);
            answers[i].Header.Vectors = &answerVectors[i];
            answers[i].Header.VectorCount = 1;
        }
    }

    /// <summary>Answers queued since the last <see cref="Send"/>.</summary>
    public int Queued => queued;

    /// <summary>
    /// Blocks until at least one datagram arrives (or the socket's receive timeout passes), then takes every
    /// datagram already queued, up to the capacity. Returns how many, or -1 with the errno in <paramref name="error"/>.
    /// With <paramref name="wait"/> false it returns at once: -1 with EAGAIN (<see cref="ErrorWouldBlock"/>) when
    /// nothing is queued.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public int Receive(Socket socket, bool wait, out int error)
    {
        for (int i = 0; i < capacity; i++)
        {
            received[i].Header.NameLength = AddressSpace;
            received[i].Header.Flags = 0;
        }

        return Call(socket, receiving: true, 0, wait ? MsgWaitForOne : MsgWaitForOne | MsgDontWait, out error);
    }

    public int Length(int slot) => (int)received[slot].Length;

    /// <summary>True when the datagram was longer than a slot and the kernel cut it.</summary>
    public bool IsCut(int slot) => (received[slot].Header.Flags & MsgTruncated) != 0;

    public ReadOnlySpan<byte> Datagram(int slot) => receiveArena.AsSpan(slot * slotLength, Length(slot));

    /// <summary>The sender's sockaddr, in the platform's layout (as <see cref="System.Net.SocketAddress"/> holds it).</summary>
    public ReadOnlySpan<byte> Sender(int slot) => new(addresses + (slot * AddressSpace), (int)received[slot].Header.NameLength);

    /// <summary>Queues <paramref name="answer"/> for the sender of datagram <paramref name="slot"/>.</summary>
    public void Queue(int slot, ReadOnlySpan<byte> answer)
    {
        answer.CopyTo(answerArena.AsSpan(queued * answerLength, answerLength));
        answerVectors[queued].Length = (nuint)answer.Length;
        answers[queued].Header.Name = addresses + (slot * AddressSpace);
        answers[queued].Header.NameLength = received[slot].Header.NameLength;
        answerFailed[queued] = false;
        queued++;
    }

    /// <summary>
    /// Sends every queued answer, as few calls as the kernel allows; an answer the kernel refuses is skipped and
    /// marked (<see cref="Failed"/>).
    /// </summary>
    public void Send(Socket socket)
    {
        int next = 0;
        while (next < queued)
        {
            int first = next;
            int sent = Call(socket, receiving: false, first, 0, out int error);
            if (sent > 0)
            {
                next += sent;
            }
            else if (error != ErrorInterrupted)
            {
                // sendmmsg reports an error only for the first message it could not send.
                answerFailed[next++] = true;
            }
        }
    }

    /// <summary>Queued answer <paramref name="index"/> as it was queued.</summary>
    public ReadOnlySpan<byte> Answer(int index) => answerArena.AsSpan(index * answerLength, (int)answerVectors[index].Length);

    /// <summary>True when queued answer <paramref name="index"/> could not be sent by the last <see cref="Send"/>.</summary>
    public bool Failed(int index) => answerFailed[index];

    /// <summary>Empties the answer queue after <see cref="Send"/> has been accounted for.</summary>
    public void ClearQueue() => queued = 0;

    public void Dispose()
    {
        NativeMemory.Free(received);
        NativeMemory.Free(answers);
        NativeMemory.Free(receiveVectors);
        NativeMemory.Free(answerVectors);
        NativeMemory.Free(addresses);
    }

    // The handle is held for the call, so a Dispose on another thread cannot close the descriptor (and let the
    // number be reused) while the kernel still works on it. One method for both calls: no delegate to allocate.
    private int Call(Socket socket, bool receiving, int firstAnswer, int receiveFlags, out int error)
    {
        SafeHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int result = receiving
                ? ReceiveMany(fd, received, (uint)capacity, receiveFlags, null)
                : SendMany(fd, answers + firstAnswer, (uint)(queued - firstAnswer), 0);
            error = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
