// The CodeDeploy agent's own messages (agent 1.8.1, lib/instance_agent/plugins/codedeploy/), word
// for word, so an error the action raises is the one the user would read in the console.

/** Where the agent unpacks a revision; the ids are known only on the instance. */
export const ARCHIVE_DIR =
  '/opt/codedeploy-agent/deployment-root/<deployment-group-id>/<deployment-id>/deployment-archive'

const FIX_HOOKS =
  'Specify the location in the hooks section of the AppSpec file, and then try again.'

export const AGENT = {
  empty:
    "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.",
  version: (v: string) =>
    `The deployment failed because an invalid version value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`,
  os: (os: string) =>
    `The deployment failed because the application specification file specifies an unsupported operating system (${os}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`,
  fileExistsBehavior: (v: string) =>
    `The deployment failed because an invalid file_exists_behavior value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`,
  noLocation: `The deployment failed because the application specification file specifies a script with no location value. ${FIX_HOOKS}`,
  badTimeout:
    'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.',
  noSource:
    'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.',
  noDestination: (source: string) =>
    `The deployment failed because the application specification file specifies only a source file (${source}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`,
  noObject:
    'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.',
  windowsPermissions:
    'The deployment failed because the application specification file specifiles file permissions, but the deployment is targeting one or more Windows Server instances. Permissions are supported only for Amazon Linux, Ubuntu Server, and Red Hat Enterprise Linux (RHEL) instances. Update the permissions section of the AppSpec file, and then try again.',
  permissionType: (type: string) =>
    `The deployment failed because the application specification filespecifies a permission for an object type not supported for permissions (${type}). Update the permissions section of the AppSpec file, and then try again.`,
  modeLength: (mode: string) =>
    `The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.`,
  modeCharacter: (mode: string, char: string) =>
    `The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${char}). Update the permissions section of the AppSpec file, and then try again.`,
  aclEntry: (ace: string) =>
    `The deployment failed because of a problem with the acls permission settings in the application specification file. Invalid acl entry (${ace}).`,
  aclBaseEntry: (ace: string) =>
    `The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (${ace}). Update the permissions section of the AppSpec file, and then try again.`,
  aclCharacter: (ace: string, char: string) =>
    `The deployment failed because the access control list (ACL) named ${ace} in the application specification file contains an invalid character (${char}). Correct the ACL in the hooks section of the AppSpec file, and then try again.`,
  aclDefaultOnFile:
    'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only. Update the AppSpec file, and then try again.',
  contextType: (context: string) =>
    `The deployment failed because the application specification file specifies an invalid context type (${context}). Update the permissions section of the AppSpec file, and then try again.`,
  contextRange: (range: string) =>
    `The deployment failed because of a problem with the SELinux range specified (${range}) for the context parameter in the permissions section of the application specification file. Make corrections in the permissions section of the AppSpec file, and then try again.`,
  filePattern: (object: string, pattern: string) =>
    `The deployment failed because the application specification file includes an object (${object}) with an invalid pattern (${pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`,
  fileExcept: (except: string, object: string) =>
    `The deployment failed because the except parameter for a pattern in the permissions section (${except}) for the object named ${object} contains an invalid format. Update the AppSpec file, and then try again.`,
  permissionTwice: (object: string) =>
    `The deployment failed because the permissions setting for (${object}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`,
  twoSources: (source: string, other: string, destination: string) =>
    `The deployment failed because the application specification file specifies two source files named ${source} and ${other} for the same destination (${destination}). Remove one of the source file paths from the AppSpec file, and then try again.`,
  fileOverFolder: (source: string, destination: string) =>
    `The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${destination}). Update your AppSpec file or directory structure, and then try again.`,
  folderOverFile: (destination: string, source: string) =>
    `The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${destination}) from (${source}). Update the files section of the AppSpec file, and then try again.`,
  unknownEvents: (file: string, events: string) =>
    `${file} file contains unknown lifecycle events: ${events}`,
  notFound: (path: string) =>
    `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "${path}".`,
  missingSource: (path: string) => `No such file or directory @ rb_sysopen - ${path}`,
  folderExists: (path: string) => `File exists @ dir_s_mkdir - ${path}`,
  notADirectory: (path: string) => `Not a directory @ rb_sysopen - ${path}`,
  /** Ruby's TypeError where the agent joins a path that YAML gave as another class. */
  notAString: (rubyClass: string) => `no implicit conversion of ${rubyClass} into String`,
  scriptMissing: (path: string) => `Script does not exist at specified location: ${path}`,
  /** hook_executor.rb, when a process the script left holds its stdout or stderr at the timeout. */
  outputLeftOpen: (location: string, stream: 'STDOUT' | 'STDERR') =>
    `Script at specified location: ${location} failed to close ${stream}`,
  scriptError: (location: string, error: string, detail: string) =>
    `Script at specified location: ${location} failed with error ${error} with message ${detail}`,
  aliases: (name: string) => `Unknown alias: ${name}`,
  disallowedClass: (name: string) => `Tried to load unspecified class: ${name}`
}
