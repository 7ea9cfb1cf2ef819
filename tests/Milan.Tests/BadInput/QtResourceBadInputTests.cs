using System.Text;
using Milan.Datasets.Photos;
using Milan.Tests.Support;

namespace Milan.Tests.BadInput;

/// <summary>
/// Damaged Qt resource files read by <c>milan data photos</c> (<see cref="QtResourceFile"/>): cut short or
/// with bytes changed, each is read or refused with an input error naming the file, never an index
/// error, an overflow or an unbounded allocation.
/// </summary>
public class QtResourceBadInputTests
{
    private static byte[] Resource() => PhotoPackagesFixture.QtResource(
    [
        ("a/b/plain.txt", Encoding.UTF8.GetBytes("plain text entry"), false),
        ("a/packed.bin", Enumerable.Range(0, 3000).Select(i => (byte)(i % 11)).ToArray(), true),
        ("top.txt", Encoding.UTF8.GetBytes("top"), false),
    ]);

    [Fact]
    public void A_resource_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] rcc = Resource();
        foreach (int cut in Refusal.CutPoints(rcc.Length))
        {
            string path = Refusal.Write(folder, "cut.rcc", rcc[..cut]);
            Refusal.Expect(path, () => QtResourceFile.Files(path).ToList());
        }
    }

    [Fact]
    public void A_resource_with_any_byte_changed_is_read_or_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] rcc = Resource();
        foreach (byte value in new byte[] { 0x00, 0x7f, 0xff })
            for (int at = 4; at < rcc.Length; at++)
            {
                var damaged = (byte[])rcc.Clone();
                damaged[at] = value;
                string path = Refusal.Write(folder, "damaged.rcc", damaged);
                try
                {
                    QtResourceFile.Files(path).ToList();
                }
                catch (MilanInputException e)
                {
                    Assert.Contains(path, e.Message);
                }
            }
    }
}
