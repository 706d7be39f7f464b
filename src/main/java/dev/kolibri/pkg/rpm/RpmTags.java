package dev.kolibri.pkg.rpm;

/**
 * Tag numbers of the RPM header (rpmtag.h) used by Kolibri. Main-header tags start at 1000; the signature header
 * has its own numbering ({@code SIG_*}), where {@code SIG_SIZE} is 1000 too.
 */
public final class RpmTags {
    private RpmTags() {}

    // region tags
    public static final int HEADERSIGNATURES = 62;
    public static final int HEADERIMMUTABLE = 63;
    public static final int HEADERI18NTABLE = 100;

    // signature header
    public static final int SIG_SHA1 = 269;
    public static final int SIG_LONGSIZE = 270;
    public static final int SIG_LONGARCHIVESIZE = 271;
    public static final int SIG_SHA256 = 273;
    public static final int SIG_SIZE = 1000;
    public static final int SIG_PGP = 1002;
    public static final int SIG_MD5 = 1004;
    public static final int SIG_GPG = 1005;
    public static final int SIG_PGP5 = 1006;
    public static final int SIG_PAYLOADSIZE = 1007;
    public static final int SIG_RESERVEDSPACE = 1008;
    public static final int SIG_FILESIGNATURES = 274;
    public static final int SIG_FILESIGNATURELENGTH = 275;

    // signature tags as merged into an installed header
    public static final int SIGSIZE = 257;
    public static final int SIGPGP = 259;
    public static final int SIGMD5 = 261;
    public static final int SIGGPG = 262;
    public static final int SIGPGP5 = 263;
    public static final int SHA1HEADER = 269;
    public static final int SHA256HEADER = 273;

    // main header
    public static final int NAME = 1000;
    public static final int VERSION = 1001;
    public static final int RELEASE = 1002;
    public static final int EPOCH = 1003;
    public static final int SUMMARY = 1004;
    public static final int DESCRIPTION = 1005;
    public static final int BUILDTIME = 1006;
    public static final int BUILDHOST = 1007;
    public static final int INSTALLTIME = 1008;
    public static final int SIZE = 1009;
    public static final int VENDOR = 1011;
    public static final int LICENSE = 1014;
    public static final int PACKAGER = 1015;
    public static final int GROUP = 1016;
    public static final int URL = 1020;
    public static final int OS = 1021;
    public static final int ARCH = 1022;
    public static final int OLDFILENAMES = 1027;
    public static final int FILESIZES = 1028;
    public static final int FILESTATES = 1029;
    public static final int FILEMODES = 1030;
    public static final int FILERDEVS = 1033;
    public static final int FILEMTIMES = 1034;
    public static final int FILEDIGESTS = 1035;
    public static final int FILELINKTOS = 1036;
    public static final int FILEFLAGS = 1037;
    public static final int FILEUSERNAME = 1039;
    public static final int FILEGROUPNAME = 1040;
    public static final int SOURCERPM = 1044;
    public static final int FILEVERIFYFLAGS = 1045;
    public static final int ARCHIVESIZE = 1046;
    public static final int PROVIDENAME = 1047;
    public static final int REQUIREFLAGS = 1048;
    public static final int REQUIRENAME = 1049;
    public static final int REQUIREVERSION = 1050;
    public static final int CONFLICTFLAGS = 1053;
    public static final int CONFLICTNAME = 1054;
    public static final int CONFLICTVERSION = 1055;
    public static final int TRIGGERNAME = 1066;
    public static final int OBSOLETENAME = 1090;
    public static final int FILEDEVICES = 1095;
    public static final int FILEINODES = 1096;
    public static final int FILELANGS = 1097;
    public static final int PROVIDEFLAGS = 1112;
    public static final int PROVIDEVERSION = 1113;
    public static final int OBSOLETEFLAGS = 1114;
    public static final int OBSOLETEVERSION = 1115;
    public static final int DIRINDEXES = 1116;
    public static final int BASENAMES = 1117;
    public static final int DIRNAMES = 1118;
    public static final int PAYLOADFORMAT = 1124;
    public static final int PAYLOADCOMPRESSOR = 1125;
    public static final int PAYLOADFLAGS = 1126;
    public static final int INSTALLCOLOR = 1127;
    public static final int INSTALLTID = 1128;
    public static final int FILECOLORS = 1140;
    public static final int FILEDIGESTALGO = 5011;
    public static final int LONGFILESIZES = 5008;
    public static final int LONGSIZE = 5009;
    public static final int RECOMMENDNAME = 5046;
    public static final int RECOMMENDVERSION = 5047;
    public static final int RECOMMENDFLAGS = 5048;
    public static final int SUGGESTNAME = 5049;
    public static final int SUGGESTVERSION = 5050;
    public static final int SUGGESTFLAGS = 5051;
    public static final int SUPPLEMENTNAME = 5052;
    public static final int SUPPLEMENTVERSION = 5053;
    public static final int SUPPLEMENTFLAGS = 5054;
    public static final int ENHANCENAME = 5055;
    public static final int ENHANCEVERSION = 5056;
    public static final int ENHANCEFLAGS = 5057;
    public static final int FILETRIGGERNAME = 5069;
    public static final int TRANSFILETRIGGERNAME = 5079;
    public static final int FILESIGNATURES = 5090;
    public static final int FILESIGNATURELENGTH = 5091;
    public static final int PAYLOADDIGEST = 5092;
    public static final int PAYLOADDIGESTALGO = 5093;
    public static final int PAYLOADDIGESTALT = 5097;

    /** FILEFLAGS bits. */
    public static final int FILE_CONFIG = 1;
    public static final int FILE_DOC = 1 << 1;
    public static final int FILE_MISSINGOK = 1 << 3;
    public static final int FILE_NOREPLACE = 1 << 4;
    public static final int FILE_GHOST = 1 << 6;
    public static final int FILE_LICENSE = 1 << 7;
    public static final int FILE_ARTIFACT = 1 << 12;

    /** PGPHASHALGO values used in FILEDIGESTALGO and PAYLOADDIGESTALGO. */
    public static final int HASH_MD5 = 1;
    public static final int HASH_SHA1 = 2;
    public static final int HASH_SHA256 = 8;
    public static final int HASH_SHA384 = 9;
    public static final int HASH_SHA512 = 10;

    /** The JCA name of a PGPHASHALGO value, or null when unknown. */
    static String digestName(long algo) {
        return switch ((int) algo) {
            case HASH_MD5 -> "MD5";
            case HASH_SHA1 -> "SHA-1";
            case HASH_SHA256 -> "SHA-256";
            case HASH_SHA384 -> "SHA-384";
            case HASH_SHA512 -> "SHA-512";
            default -> null;
        };
    }
}
