using Resolver.Client.Transport;

namespace Resolver.Client.Tests;

/// <summary>Query IDs drawn from the buffered generator are spread over the whole 16-bit space, refill after refill.</summary>
public class RandomIdsTests
{
    [Test]
    public void Ids_across_many_buffer_refills_are_spread_over_all_sixteen_bits()
    {
        const int draws = 20_000; // 156 refills of the 128-ID buffer
        var seen = new HashSet<ushort>();
        int highBitSet = 0, lowBitSet = 0;
        for (int i = 0; i < draws; i++)
        {
            ushort id = RandomIds.Next();
            seen.Add(id);
            if ((id & 0x8000) != 0)
                highBitSet++;
            if ((id & 1) != 0)
                lowBitSet++;
        }

        Assert.Multiple(() =>
        {
            // 20,000 uniform draws from 65,536 values give about 17,300 distinct ones; a repeating buffer gives 128.
            Assert.That(seen, Has.Count.GreaterThan(16_000));
            Assert.That(highBitSet, Is.InRange(9_000, 11_000));
            Assert.That(lowBitSet, Is.InRange(9_000, 11_000));
        });
    }

    [Test]
    public async Task Each_thread_draws_its_own_ids()
    {
        var first = await Task.Run(() => Enumerable.Range(0, 128).Select(_ => RandomIds.Next()).ToArray());
        var second = await Task.Factory.StartNew(() => Enumerable.Range(0, 128).Select(_ => RandomIds.Next()).ToArray(), TaskCreationOptions.LongRunning);

        Assert.That(first, Is.Not.EqualTo(second), "two threads must not hand out the same sequence");
    }
}
