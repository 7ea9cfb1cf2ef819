using System.Text.Json;
using Milan.Language;
using Milan.Tests.Support;

namespace Milan.Tests.Language;

public class DetokenizerTests
{
    private static readonly string[][] Cases =
    [
        ["red", "and", "white", "stripes", "<stop>", "cats"],
        ["<start>", "dogs", ",", "cats", ";", "birds", ":", "fish", "."],
        ["black", "-", "and", "-", "white", "pattern"],
        ["a", "cat", ".", "a", "DOG", "<pad>", "<unk>", "here"],
        ["the", "u.s.", "flag"],
        ["<stop>"],
        [".", "leading", "dot"],
        ["text", "!", "and", "'s", "tHINGS", "."],
    ];

    [Fact]
    public void Matches_the_reference_reconstruct_written_in_python()
    {
        // The reference's Indexer.reconstruct, transcribed (milan-spec §3.3), run by Debian's Python.
        const string script = """
            import json, sys
            specials = ['<start>', '<stop>', '<pad>', '<unk>']
            out = []
            for tokens in json.loads(sys.argv[1]):
                if '<stop>' in tokens:
                    tokens = tokens[:tokens.index('<stop>')]
                text = ' '.join([t for t in tokens if t not in specials])
                for token in ('.', ',', ';', ':'):
                    text = text.replace(' ' + token, token)
                for token in ('-',):
                    text = text.replace(' %s' % token, token)
                    text = text.replace('%s ' % token, token)
                text = '. '.join([s.strip().capitalize() for s in text.split('.')]).strip()
                out.append(text)
            print(json.dumps(out))
            """;
        var expected = JsonSerializer.Deserialize<string[]>(DebianPython.Run(script, JsonSerializer.Serialize(Cases)))!;
        Assert.Equal(expected, Cases.Select(Detokenizer.Detokenize).ToArray());
    }

    [Theory]
    [InlineData("red|and|white|stripes|<stop>|cats", "Red and white stripes")]
    [InlineData("dogs|,|cats|.", "Dogs, cats.")]
    [InlineData("black|-|and|-|white", "Black-and-white")]
    [InlineData("a|cat|.|a|DOG", "A cat. A dog")]
    public void Examples_worked_by_hand(string tokens, string expected)
    {
        Assert.Equal(expected, Detokenizer.Detokenize(tokens.Split('|')));
    }

    [Fact]
    public void Ids_are_looked_up_in_the_vocabulary()
    {
        var vocabulary = Vocabulary.FromWords(["dogs", "red"]);
        Assert.Equal("Red dogs", Detokenizer.Detokenize([vocabulary.Start, 1, 0, vocabulary.Stop, 1], vocabulary));
    }
}
