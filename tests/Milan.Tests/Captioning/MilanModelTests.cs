using Milan.Captioning;
using Milan.Tests.Support;

namespace Milan.Tests.Captioning;

public class MilanModelTests(TinyMilan tiny) : IClassFixture<TinyMilan>
{
    private static string Normalize(string text) => text.ToLowerInvariant().Trim('.', ' ');

    [Fact]
    public void Trained_on_a_handful_of_neurons_it_reproduces_their_descriptions()
    {
        var greedy = tiny.Model.Describe(tiny.Features[..8], DecodingOptions.Greedy);
        Assert.Equal(TinyMilan.Descriptions, greedy.Select(d => Normalize(d.Description)));
        // Beam search may prefer a shorter caption of the fit, but the true one is in every beam.
        var beam = tiny.Model.Describe(tiny.Features[..8], DecodingOptions.Default with { Strategy = DecodingStrategy.Beam, BeamSize = 8 });
        for (int n = 0; n < 8; n++) Assert.Contains(beam[n].Beam!, c => Normalize(c.Description) == TinyMilan.Descriptions[n]);
        var report = tiny.Model.Card.Training!.Captioner;
        Assert.Equal(100, report.BestValue);
        Assert.Equal(report.History[report.BestEpoch - 1].ValidationMetric, report.BestValue);
    }

    [Fact]
    public void The_best_epoch_is_restored_the_highest_metric_then_the_lowest_validation_loss()
    {
        // The best epoch by the rule, worked out from the history: a strictly higher metric, or the same metric
        // with a lower validation loss; the restored weights are that epoch's: they score what it scored.
        var report = tiny.Model.Card.Training!.Captioner;
        var best = report.History[0];
        foreach (var epoch in report.History.Skip(1))
            if (epoch.ValidationMetric > best.ValidationMetric || (epoch.ValidationMetric == best.ValidationMetric && epoch.ValidationLoss < best.ValidationLoss))
                best = epoch;
        Assert.Equal(best.Epoch, report.BestEpoch);
        Assert.Equal(best.ValidationMetric, report.BestValue);
        var validation = tiny.Model.Describe(tiny.Features[8..], DecodingOptions.Greedy).Select(d => d.Description).ToList();
        double score = ValidationMetric.ExactMatch.Score(validation, tiny.Annotations.Skip(8).ToList());
        Assert.Equal(report.BestValue, score);
    }

    [Fact]
    public void Decoding_a_batch_gives_the_same_as_decoding_neurons_one_by_one()
    {
        foreach (var strategy in new[] { DecodingStrategy.Greedy, DecodingStrategy.Beam, DecodingStrategy.Rerank })
        {
            var options = DecodingOptions.Default with { Strategy = strategy, BeamSize = 5, BatchSize = 5 };
            var together = tiny.Model.Describe(tiny.Features[..5], options);
            for (int n = 0; n < 5; n++)
            {
                var alone = tiny.Model.Describe(tiny.Features[n..(n + 1)], options with { BatchSize = 1 })[0];
                Assert.Equal(alone.Description, together[n].Description);
                Assert.Equal(alone.Tokens, together[n].Tokens);
                Assert.Equal(alone.Score, together[n].Score, 4);
            }
        }
    }

    [Fact]
    public void A_saved_and_reloaded_model_gives_identical_descriptions()
    {
        using var folder = new TempFolder();
        string path = folder.File("model");
        tiny.Model.Save(path);
        using var loaded = MilanModel.Load(path);
        Assert.Equal(tiny.Model.Vocabulary.Words, loaded.Vocabulary.Words);
        var options = DecodingOptions.Default with { BeamSize = 8 };
        var before = tiny.Model.Describe(tiny.Features, options);
        var after = loaded.Describe(tiny.Features, options);
        Assert.Equal(before.Select(d => d.Description), after.Select(d => d.Description));
        Assert.Equal(before.Select(d => d.Score), after.Select(d => d.Score));
        Assert.Equal(tiny.Model.Card.Training!.ValidationNeurons, loaded.Card.Training!.ValidationNeurons);
        Assert.Equal(tiny.Model.Card.Encoder.Key, loaded.Card.Encoder.Key);
        string card = File.ReadAllText(Path.Combine(path, "card.json"));
        foreach (var field in new[] { "\"best_epoch\"", "\"validation_neurons\"", "\"split_seed\"", "\"weights_sha256\"", "\"<unk>\"", "\"lm_scoring\": \"corrected\"", "\"allow_empty\": false" })
            Assert.Contains(field, card);
    }

    [Fact]
    public void A_card_keeps_allow_empty_and_a_card_written_before_it_decodes_without_empty_descriptions()
    {
        using var folder = new TempFolder();
        string path = folder.File("model");
        tiny.Model.Save(path);
        string card = Path.Combine(path, "card.json");
        string original = File.ReadAllText(card);

        File.WriteAllText(card, original.Replace("\"allow_empty\": false", "\"allow_empty\": true", StringComparison.Ordinal));
        Assert.True(MilanCard.Read(card).Decoding.AllowEmpty);

        File.WriteAllText(card, original.Replace(",\n    \"allow_empty\": false", "", StringComparison.Ordinal));
        Assert.DoesNotContain("allow_empty", File.ReadAllText(card));
        Assert.False(MilanCard.Read(card).Decoding.AllowEmpty);
    }

    [Fact]
    public void Loading_checks_the_card_and_the_weights()
    {
        using var folder = new TempFolder();
        string path = folder.File("model");
        tiny.Model.Save(path);
        string card = Path.Combine(path, "card.json");
        string original = File.ReadAllText(card);

        File.WriteAllText(card, original.Replace("\"hidden_size\": 64", "\"hidden_size\": \"big\"", StringComparison.Ordinal));
        Assert.Contains("field 'decoder.hidden_size' is not a int32", Assert.Throws<MilanInputException>(() => MilanModel.Load(path)).Message);

        File.WriteAllText(card, original.Replace("\"format\": \"milan-captioner/1\",", "", StringComparison.Ordinal));
        Assert.Contains("field 'format' missing", Assert.Throws<MilanInputException>(() => MilanModel.Load(path)).Message);

        File.WriteAllText(card, original);
        string weights = Path.Combine(path, "weights.safetensors");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.Contains("differs from the card", Assert.Throws<MilanInputException>(() => MilanModel.Load(path)).Message);

        Assert.Contains("already exists", Assert.Throws<MilanInputException>(() => tiny.Model.Save(path)).Message);
    }

    [Fact]
    public void Rerank_picks_the_beam_candidate_with_the_best_weighted_pmi()
    {
        var options = DecodingOptions.Default with { BeamSize = 8 };
        var neuron = tiny.Model.Describe(tiny.Features[..1], options)[0];
        Assert.NotNull(neuron.Beam);
        var beam = neuron.Beam!;
        // The chosen candidate maximises caption − λ·lm over the beam.
        double best = beam.Max(c => c.CaptionScore - 0.2 * c.LmScore!.Value);
        Assert.Equal(best, neuron.Score, 9);
        Assert.Contains(beam, c => c.Description == neuron.Description);
    }

    [Fact]
    public void Per_step_pmi_and_sampling_run_and_are_seeded()
    {
        var pmi = tiny.Model.Describe(tiny.Features[..2], DecodingOptions.Greedy with { PerStepPmi = true });
        Assert.Equal(2, pmi.Count);
        var sampleOptions = DecodingOptions.Default with { Strategy = DecodingStrategy.Sample, Seed = 7 };
        var first = tiny.Model.Describe(tiny.Features[..4], sampleOptions).Select(d => d.Description);
        var second = tiny.Model.Describe(tiny.Features[..4], sampleOptions).Select(d => d.Description);
        Assert.Equal(first, second);
        Assert.Throws<MilanInputException>(() => tiny.Model.Describe(tiny.Features, DecodingOptions.Default with { PerStepPmi = true }));
    }
}
