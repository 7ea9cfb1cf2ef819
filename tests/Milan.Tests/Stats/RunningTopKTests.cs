using Milan.Stats;
using static TorchSharp.torch;

namespace Milan.Tests.Stats;

public class RunningTopKTests
{
    /// <summary>Scores with many ties: integers 0..5 as floats, (items, units).</summary>
    private static float[,] TiedScores(int items, int units, int seed)
    {
        var random = new Random(seed);
        var scores = new float[items, units];
        for (int i = 0; i < items; i++)
            for (int u = 0; u < units; u++)
                scores[i, u] = random.Next(6);
        return scores;
    }

    /// <summary>Brute force: every item of a unit sorted by (score descending, index ascending).</summary>
    private static (float[] Values, long[] Indices) SortEverything(float[,] scores, int unit, int k)
    {
        var order = Enumerable.Range(0, scores.GetLength(0))
            .OrderByDescending(i => scores[i, unit]).ThenBy(i => i).Take(k).ToArray();
        return (order.Select(i => scores[i, unit]).ToArray(), order.Select(i => (long)i).ToArray());
    }

    private static Tensor Rows(float[,] scores, int start, int count)
    {
        int units = scores.GetLength(1);
        var flat = new float[count * units];
        for (int i = 0; i < count; i++)
            for (int u = 0; u < units; u++)
                flat[i * units + u] = scores[start + i, u];
        return tensor(flat, [count, units]);
    }

    private static void AssertMatchesSorting(RunningTopK topK, float[,] scores, int k)
    {
        var (values, indices) = topK.Result();
        using (values)
        using (indices)
        {
            for (int u = 0; u < scores.GetLength(1); u++)
            {
                var expected = SortEverything(scores, u, k);
                Assert.Equal(expected.Values, values[u].data<float>().ToArray());
                Assert.Equal(expected.Indices, indices[u].data<long>().ToArray());
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(300)]
    public void Streaming_in_any_batch_size_equals_sorting_everything_with_ties_by_lower_index(int batch)
    {
        var scores = TiedScores(300, 5, seed: 1);
        using var topK = new RunningTopK(15);
        for (int start = 0; start < 300; start += batch)
        {
            using var rows = Rows(scores, start, Math.Min(batch, 300 - start));
            topK.Add(rows, start);
        }
        Assert.Equal(300, topK.Count);
        AssertMatchesSorting(topK, scores, 15);
    }

    [Fact]
    public void Shards_merged_equal_the_whole_including_interleaved_shards()
    {
        var scores = TiedScores(240, 4, seed: 2);
        // Three shards: a contiguous block, the even and the odd items of the rest, merged in a shuffled order.
        using var first = new RunningTopK(10);
        using var rows = Rows(scores, 0, 80);
        first.Add(rows, 0);
        using var even = new RunningTopK(10);
        using var odd = new RunningTopK(10);
        for (int i = 80; i < 240; i++)
        {
            using var row = Rows(scores, i, 1);
            using var index = tensor(new long[] { i });
            (i % 2 == 0 ? even : odd).Add(row, index);
        }
        odd.Merge(first);
        odd.Merge(even);
        Assert.Equal(240, odd.Count);
        AssertMatchesSorting(odd, scores, 10);
    }

    [Fact]
    public void Fewer_items_than_k_keeps_them_all()
    {
        var scores = TiedScores(6, 3, seed: 3);
        using var topK = new RunningTopK(15);
        using var rows = Rows(scores, 0, 6);
        topK.Add(rows, 0);
        Assert.Equal(6, topK.Width);
        AssertMatchesSorting(topK, scores, 15);
    }

    [Fact]
    public void Tracked_sources_carry_a_payload_along_with_the_entries()
    {
        // Payload of item i, unit u = 1000·i + u; carried with the returned source positions it must
        // end up equal to 1000·index + u.
        var scores = TiedScores(50, 3, seed: 4);
        using var topK = new RunningTopK(4);
        Tensor? payload = null;
        for (int start = 0; start < 50; start += 9)
        {
            int count = Math.Min(9, 50 - start);
            using var scope = NewDisposeScope();
            long previous = topK.Width;
            var rows = Rows(scores, start, count);
            var sources = topK.AddTracked(rows, start);
            var batchPayload = (arange(start, start + count, dtype: ScalarType.Int64).unsqueeze(1) * 1000 + arange(3, dtype: ScalarType.Int64)).t();
            var pool = payload is null ? batchPayload : cat([payload, batchPayload], 1);
            var next = pool.gather(1, sources).DetachFromDisposeScope();
            payload?.Dispose();
            payload = next;
            Assert.True(previous <= 4);
        }
        var (_, indices) = topK.Result();
        using var expected = indices * 1000 + arange(3, dtype: ScalarType.Int64).unsqueeze(1);
        Assert.True(payload!.equal(expected).all().item<bool>());
        payload.Dispose();
    }
}
