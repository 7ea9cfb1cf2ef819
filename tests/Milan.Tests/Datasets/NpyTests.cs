using System.Text;
using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Datasets;

public class NpyTests
{
    /// <summary>A version 1.0 file written byte by byte: magic, version, header length, header dict, data.</summary>
    private static byte[] HandWritten(string dict, byte[] data, byte major = 1)
    {
        var header = Encoding.ASCII.GetBytes(dict + "\n");
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    [Fact]
    public void Reads_a_hand_written_uint8_array()
    {
        using var folder = new TempFolder();
        string path = folder.File("a.npy");
        File.WriteAllBytes(path, HandWritten("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", [1, 2, 3, 4, 5, 6]));

        using var tensor = Npy.ReadTensor(path);

        Assert.Equal(new long[] { 2, 3 }, tensor.shape);
        Assert.Equal(ScalarType.Byte, tensor.dtype);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, tensor.data<byte>().ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_format_versions_2_and_3(byte major)
    {
        using var folder = new TempFolder();
        string path = folder.File("v.npy");
        var data = BitConverter.GetBytes(-7L).Concat(BitConverter.GetBytes(1L << 40)).ToArray();
        File.WriteAllBytes(path, HandWritten("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data, major));

        var values = Npy.ReadInt64(path, out var shape);

        Assert.Equal(new long[] { 2 }, shape);
        Assert.Equal(new[] { -7L, 1L << 40 }, values);
    }

    [Fact]
    public void Writes_the_bytes_numpy_expects()
    {
        using var folder = new TempFolder();
        string path = folder.File("f.npy");
        Npy.Write<float>(path, new[] { 1.5f, -2f }, 2);

        byte[] bytes = File.ReadAllBytes(path);
        string expectedDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith(expectedDict, header);
        Assert.EndsWith("\n", header);
        Assert.Equal(BitConverter.GetBytes(1.5f).Concat(BitConverter.GetBytes(-2f)), bytes[(10 + headerLength)..]);
    }

    [Fact]
    public void Numpy_reads_what_we_write_and_we_read_what_numpy_writes()
    {
        using var folder = new TempFolder();
        string ours = folder.File("ours.npy"), theirs = folder.File("theirs.npy");
        using (var tensor = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4) / 8)
            Npy.Write(ours, tensor);

        string output = DebianPython.Run(
            "import sys, numpy as np\n" +
            "a = np.load(sys.argv[1]); print(a.dtype, a.shape, float(a.sum()))\n" +
            "np.save(sys.argv[2], (np.arange(30, dtype=np.uint8) * 7).reshape(5, 6))",
            ours, theirs);

        Assert.Equal("float32 (2, 3, 4) 34.5", output.Trim());
        using var back = Npy.ReadTensor(theirs);
        Assert.Equal(new long[] { 5, 6 }, back.shape);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (byte)(i * 7)), back.data<byte>().ToArray());
    }

    [Fact]
    public void Memory_mapped_items_equal_the_whole_array()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.npy");
        using var whole = randint(0, 256, [7, 2, 3], dtype: ScalarType.Byte);
        Npy.Write(path, whole);

        using var array = new NpyMappedArray(path);
        using var item = array.Read(4);
        using var range = array.Read(2, 3);

        Assert.Equal(7, array.Count);
        Assert.True(item.equal(whole[4]).all().item<bool>());
        Assert.True(range.equal(whole[2..5]).all().item<bool>());
    }

    [Fact]
    public void Stream_writer_leaves_nothing_when_not_completed_and_the_whole_array_when_completed()
    {
        using var folder = new TempFolder();
        string path = folder.File("s.npy");
        using (var writer = new NpyStreamWriter(path, NpyType.UInt8, 4, 2))
            writer.Append(ones([2, 2], dtype: ScalarType.Byte));
        Assert.Empty(Directory.GetFiles(folder.Path));

        using (var writer = new NpyStreamWriter(path, NpyType.UInt8, 4, 2))
        {
            writer.Append(ones([2, 2], dtype: ScalarType.Byte));
            writer.Append(zeros([2, 2], dtype: ScalarType.Byte));
            writer.Complete();
        }
        Assert.Equal(new byte[] { 1, 1, 1, 1, 0, 0, 0, 0 }, Npy.ReadArray<byte>(path, out _));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "not numpy", Encoding.ASCII.GetBytes("hello world, not an array"), "magic" },
        { "truncated data", HandWritten("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8]), "truncated .npy data" },
        { "fortran", HandWritten("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]), "Fortran" },
        { "big endian", HandWritten("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]), "unsupported .npy dtype" },
        { "no shape", HandWritten("{'descr': '<f4', 'fortran_order': False, }", new byte[4]), "malformed .npy header" },
        { "trailing bytes", HandWritten("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", new byte[3]), "after the data" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_malformed_files_naming_the_file_and_the_problem(string name, byte[] content, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.File(name.Replace(' ', '_') + ".npy");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<MilanInputException>(() => Npy.ReadTensor(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }
}
