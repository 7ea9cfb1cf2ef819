using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>
/// The English tokenizer rules of spaCy 3.3 (the version the reference pins) as data: prefix, suffix
/// and infix patterns, the URL rule, and the tokenizer exceptions ("special cases"). The pattern lists
/// keep spaCy's order, because the first alternative that matches wins.
/// </summary>
internal static class SpacyRules
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private const string Lower = @"\p{Ll}\p{Lo}";
    private const string Upper = @"\p{Lu}\p{Lo}";
    private const string Letter = @"\p{L}";
    private const string Icon = @"\p{So}";

    private static readonly string[] Punctuation =
        ["…", "……", ",", ":", ";", "!", "?", "¿", "؟", "¡", "(", ")", "[", "]", "{", "}", "<", ">", "_", "#", "*", "&",
         "。", "？", "！", "，", "、", "；", "：", "～", "·", "।", "،", "۔", "؛", "٪"];

    private static readonly string[] Quotes =
        ["'", "\"", "”", "“", "`", "‘", "´", "’", "‚", ",", "„", "»", "«", "「", "」", "『", "』", "（", "）", "〔", "〕",
         "【", "】", "《", "》", "〈", "〉"];

    private static readonly string[] Currencies = ["$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴"];

    // The currency signs block U+20A0..U+20BF, all of which spaCy lists.
    private const string CurrencyBlock = @"[\u20A0-\u20BF]";

    private static readonly string[] Units =
        ("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s km/h kmh mph "
         + "hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм мм² мм³ нм кг г мг "
         + "м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тб").Split(' ');

    private static readonly string[] Hyphens = ["-", "–", "—", "--", "---", "——", "~"];

    private static string Alternatives(IEnumerable<string> literals) => string.Join("|", literals.Select(Regex.Escape));

    private static string CharClassOf(IEnumerable<string> literals) =>
        string.Concat(literals.SelectMany(s => s).Distinct().Select(c => Regex.Escape(c.ToString()).Replace("]", @"\]").Replace("-", @"\-")));

    private static readonly string CurrencyPattern = Alternatives(Currencies) + "|" + CurrencyBlock;

    private static readonly Regex Prefix = new(
        "^(?:" + string.Join("|",
            new[] { Alternatives(["§", "%", "=", "—", "–"]), @"\+(?![0-9])", Alternatives(Punctuation), @"\.\.+", "…",
                    Alternatives(Quotes), CurrencyPattern, Icon }) + ")",
        RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex Suffix = new(
        "(?:" + string.Join("|",
            new[]
            {
                Alternatives(Punctuation), @"\.\.+", "…", Alternatives(Quotes), Icon,
                Alternatives(["'s", "'S", "’s", "’S", "—", "–"]),
                @"(?<=[0-9])\+",
                @"(?<=°[FfCcKk])\.",
                "(?<=[0-9])(?:" + CurrencyPattern + ")",
                "(?<=[0-9])(?:" + Alternatives(Units) + ")",
                // spaCy writes this class with its punctuation and quote alternations pasted inside
                // brackets, so '|', '(', '?', ':' and ')' are in it too.
                "(?<=[0-9" + Lower + @"%²\-\+" + CharClassOf(Punctuation) + CharClassOf(Quotes) + @"|(?:)])\.",
                "(?<=[" + Upper + "][" + Upper + @"])\.",
            }) + ")$",
        RegexOptions.CultureInvariant, Timeout);

    /// <summary>Infixes of spaCy's English defaults (hyphens split between letters, or after a digit).</summary>
    public static readonly Regex Infix = new(
        string.Join("|",
            @"\.\.+", "…", Icon,
            @"(?<=[0-9])[+\-\*^](?=[0-9-])",
            "(?<=[" + Lower + CharClassOf(Quotes) + @"])\.(?=[" + Upper + CharClassOf(Quotes) + "])",
            "(?<=[" + Letter + "]),(?=[" + Letter + "])",
            "(?<=[" + Letter + "0-9])(?:" + Alternatives(Hyphens) + ")(?=[" + Letter + "])",
            "(?<=[" + Letter + "0-9])[:<>=/](?=[" + Letter + "])"),
        RegexOptions.CultureInvariant, Timeout);

    /// <summary>spaCy's URL rule (without its IP-address branch): such a string stays one token.</summary>
    public static readonly Regex Url = new(
        @"^(?:[\w+\-.]{2,}://)?(?:\S+(?::\S*)?@)?"
        + @"(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+"
        + "(?:[" + Lower + "]{2,63})"
        + @"(?::\d{2,5})?(?:[/?#]\S*)?$",
        RegexOptions.CultureInvariant, Timeout);

    public static int PrefixLength(string text)
    {
        var match = Prefix.Match(text);
        return match.Success ? match.Length : 0;
    }

    public static int SuffixLength(string text)
    {
        var match = Suffix.Match(text);
        return match.Success ? match.Length : 0;
    }

    /// <summary>Strings that are tokenized by a fixed rule (spaCy's tokenizer exceptions for English).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SpecialCases = BuildSpecialCases();

    private static string Title(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static Dictionary<string, string[]> BuildSpecialCases()
    {
        var cases = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Whole(string text) => cases[text] = [text];
        void Split(string text, params string[] parts) => cases[text] = parts;

        // Language-independent exceptions.
        foreach (var text in new[] { "\\t", "\\n", "\u2014", "'", "\\\")", "<space>", "''", "C++" }) Whole(text);
        foreach (char letter in "abcdefghijklmnopqrstuvwxyzäöü") Whole(letter + ".");
        foreach (var emoticon in Emoticons.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Whole(emoticon);
        foreach (char unit in "cfkCFK") Split($"°{unit}.", "°", unit.ToString(), ".");

        // English contractions.
        var english = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string text, params string[] parts) => english[text] = parts;
        // Each contraction stands with and without its apostrophes ("'ll've" and "llve"), after the word in
        // both cases ("you", "You"), as spaCy writes them.
        void Contractions(string[] words, params string[][] endings)
        {
            foreach (var word in words)
            foreach (var orth in new[] { word, Title(word) })
            foreach (var ending in endings)
            {
                Add(orth + string.Concat(ending), [orth, .. ending]);
                var plain = ending.Select(part => part.Replace("'", "", StringComparison.Ordinal)).ToArray();
                Add(orth + string.Concat(plain), [orth, .. plain]);
            }
        }
        string[] ll = ["'ll"], llve = ["'ll", "'ve"], d = ["'d"], dve = ["'d", "'ve"], ve = ["'ve"], re = ["'re"], s = ["'s"], nt = ["n't"];
        Contractions(["i"], ["'m"], ["'m", "a"]);
        Contractions(["i", "you", "he", "she", "it", "we", "they"], ll, llve, d, dve);
        Contractions(["i", "you", "we", "they"], ve);
        Contractions(["you", "we", "they"], re);
        Contractions(["he", "she", "it"], s);
        Contractions(["who", "what", "when", "where", "why", "how", "there", "that", "this", "these", "those"], s, ll, llve, re, ve, d, dve);
        Contractions(["ca", "could", "do", "does", "did", "had", "may", "might", "must", "need", "ought", "sha", "should", "wo", "would"], nt, ["n't", "'ve"]);
        Contractions(["could", "might", "must", "should", "would"], ve);
        Contractions(["ai", "are", "is", "was", "were", "have", "has", "dare"], nt);
        foreach (var word in new[] { "doin", "goin", "nothin", "nuthin", "ol", "somethin" })
        foreach (var orth in new[] { word, Title(word) })
        {
            Add(orth, orth);
            Add(orth + "'", orth + "'");
        }
        foreach (var word in new[] { "em", "ll", "nuff" })
        {
            Add(word, word);
            Add("'" + word, "'" + word);
        }
        for (int hour = 1; hour <= 12; hour++)
        foreach (var period in new[] { "a.m.", "am", "p.m.", "pm" })
            Add(hour + period, hour.ToString(), period);
        Add("y'all", "y'", "all");
        Add("yall", "y", "all");
        Add("how'd'y", "how", "'d", "'y");
        Add("How'd'y", "How", "'d", "'y");
        Add("not've", "not", "'ve");
        Add("notve", "not", "ve");
        Add("Not've", "Not", "'ve");
        Add("Notve", "Not", "ve");
        Add("cannot", "can", "not");
        Add("Cannot", "Can", "not");
        Add("gonna", "gon", "na");
        Add("Gonna", "Gon", "na");
        Add("gotta", "got", "ta");
        Add("Gotta", "Got", "ta");
        Add("let's", "let", "'s");
        Add("Let's", "Let", "'s");
        Add("c'mon", "c'm", "on");
        Add("C'mon", "C'm", "on");
        foreach (var text in WholeEnglishExceptions.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Add(text, text);
        // Generated forms that are real words stay whole ("its", "well", "were", ...).
        foreach (var text in new[] { "Ill", "ill", "Its", "its", "Hell", "hell", "Shell", "shell", "Shed", "shed", "were", "Were", "Well", "well", "Whore", "whore" })
            english.Remove(text);

        foreach (var (text, parts) in english) cases[text] = parts;
        return cases;
    }

    private const string WholeEnglishExceptions =
        "'S 's \u2018S \u2018s and/or w/o 're 'Cause 'cause 'cos 'Cos 'coz 'Coz 'cuz 'Cuz 'bout ma'am Ma'am o'clock O'clock "
        + "lovin' Lovin' lovin Lovin havin' Havin' havin Havin doin' Doin' doin Doin goin' Goin' goin Goin "
        + "Mt. Ak. Ala. Apr. Ariz. Ark. Aug. Calif. Colo. Conn. Dec. Del. Feb. Fla. Ga. Ia. Id. Ill. Ind. Jan. Jul. Jun. "
        + "Kan. Kans. Ky. La. Mar. Mass. Mich. Minn. Miss. N.C. N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Nov. Oct. Okla. "
        + "Ore. Pa. S.C. Sep. Sept. Tenn. Va. Wash. Wis. "
        + "'d a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov. i.e. I.e. I.E. Inc. Jr. Ltd. Md. Messrs. "
        + "Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. Rev. Sen. St. vs. v.s.";

    private const string Emoticons =
        ":) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} 8) 8-) (-8 ;) ;-) (; (-; :( :-( :(( "
        + ":-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ =| :| :-| ]= =[ :1 :P :-P :p :-p :O :-O :o :-o :0 "
        + ":-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x :-x :D :-D ;D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< "
        + ">.> <.< ._. ;_; -_- -__- v.v V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 "
        + "<333 </3 (^_^) (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>";
}
