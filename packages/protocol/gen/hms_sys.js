/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const hms = $root.hms = (() => {

    /**
     * Namespace hms.
     * @exports hms
     * @namespace
     */
    const hms = {};

    hms.sys = (function() {

        /**
         * Namespace sys.
         * @memberof hms
         * @namespace
         */
        const sys = {};

        sys.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof hms.sys
             * @namespace
             */
            const v1 = {};

            v1.AgentMessage = (function() {

                /**
                 * Properties of an AgentMessage.
                 * @typedef {Object} hms.sys.v1.AgentMessage.$Properties
                 * @property {hms.sys.v1.Hello.$Properties|null} [hello] AgentMessage hello
                 * @property {hms.sys.v1.MetricsBatch.$Properties|null} [metrics] AgentMessage metrics
                 * @property {hms.sys.v1.CommandStatus.$Properties|null} [commandStatus] AgentMessage commandStatus
                 * @property {"hello"|"metrics"|"commandStatus"} [kind] AgentMessage kind
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an AgentMessage.
                 * @memberof hms.sys.v1
                 * @interface IAgentMessage
                 * @augments hms.sys.v1.AgentMessage.$Properties
                 * @deprecated Use hms.sys.v1.AgentMessage.$Properties instead.
                 */

                /**
                 * Narrowed shape of an AgentMessage.
                 * @typedef {{
                 *   hello?: hms.sys.v1.Hello.$Shape|null;
                 *   metrics?: hms.sys.v1.MetricsBatch.$Shape|null;
                 *   commandStatus?: hms.sys.v1.CommandStatus.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ kind?: undefined; hello?: null; metrics?: null; commandStatus?: null }|{ kind?: "hello"; hello: hms.sys.v1.Hello.$Shape; metrics?: null; commandStatus?: null }|{ kind?: "metrics"; hello?: null; metrics: hms.sys.v1.MetricsBatch.$Shape; commandStatus?: null }|{ kind?: "commandStatus"; hello?: null; metrics?: null; commandStatus: hms.sys.v1.CommandStatus.$Shape })
                 * )} hms.sys.v1.AgentMessage.$Shape
                 */

                /**
                 * Constructs a new AgentMessage.
                 * @memberof hms.sys.v1
                 * @classdesc Represents an AgentMessage.
                 * @constructor
                 * @param {hms.sys.v1.AgentMessage.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const AgentMessage = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * AgentMessage hello.
                 * @member {hms.sys.v1.Hello.$Properties|null|undefined} hello
                 * @memberof hms.sys.v1.AgentMessage
                 * @instance
                 */
                AgentMessage.prototype.hello = null;

                /**
                 * AgentMessage metrics.
                 * @member {hms.sys.v1.MetricsBatch.$Properties|null|undefined} metrics
                 * @memberof hms.sys.v1.AgentMessage
                 * @instance
                 */
                AgentMessage.prototype.metrics = null;

                /**
                 * AgentMessage commandStatus.
                 * @member {hms.sys.v1.CommandStatus.$Properties|null|undefined} commandStatus
                 * @memberof hms.sys.v1.AgentMessage
                 * @instance
                 */
                AgentMessage.prototype.commandStatus = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * AgentMessage kind.
                 * @member {"hello"|"metrics"|"commandStatus"|undefined} kind
                 * @memberof hms.sys.v1.AgentMessage
                 * @instance
                 */
                $Object.defineProperty(AgentMessage.prototype, "kind", {
                    get: $util.oneOfGetter($oneOfFields = ["hello", "metrics", "commandStatus"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new AgentMessage instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.AgentMessage
                 * @static
                 * @param {hms.sys.v1.AgentMessage.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.AgentMessage} AgentMessage instance
                 * @type {{
                 *   (properties: hms.sys.v1.AgentMessage.$Shape): hms.sys.v1.AgentMessage & hms.sys.v1.AgentMessage.$Shape;
                 *   (properties?: hms.sys.v1.AgentMessage.$Properties): hms.sys.v1.AgentMessage;
                 * }}
                 */
                AgentMessage.create = function(properties) {
                    return new AgentMessage(properties);
                };

                /**
                 * Encodes the specified AgentMessage message. Does not implicitly {@link hms.sys.v1.AgentMessage.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.AgentMessage
                 * @static
                 * @param {hms.sys.v1.AgentMessage.$Properties} message AgentMessage message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AgentMessage.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                        $root.hms.sys.v1.Hello.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.metrics != null && $Object.hasOwnProperty.call(message, "metrics"))
                        $root.hms.sys.v1.MetricsBatch.encode(message.metrics, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.commandStatus != null && $Object.hasOwnProperty.call(message, "commandStatus"))
                        $root.hms.sys.v1.CommandStatus.encode(message.commandStatus, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an AgentMessage message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.AgentMessage
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.AgentMessage & hms.sys.v1.AgentMessage.$Shape} AgentMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AgentMessage.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.AgentMessage();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.hello = $root.hms.sys.v1.Hello.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                                message.kind = "hello";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.metrics = $root.hms.sys.v1.MetricsBatch.decode(reader, reader.size(), $undefined, _depth + 1, message.metrics);
                                message.kind = "metrics";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.commandStatus = $root.hms.sys.v1.CommandStatus.decode(reader, reader.size(), $undefined, _depth + 1, message.commandStatus);
                                message.kind = "commandStatus";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return AgentMessage;
            })();

            v1.AggregatorMessage = (function() {

                /**
                 * Properties of an AggregatorMessage.
                 * @typedef {Object} hms.sys.v1.AggregatorMessage.$Properties
                 * @property {hms.sys.v1.Welcome.$Properties|null} [welcome] AggregatorMessage welcome
                 * @property {hms.sys.v1.Ack.$Properties|null} [ack] AggregatorMessage ack
                 * @property {hms.sys.v1.Command.$Properties|null} [command] AggregatorMessage command
                 * @property {"welcome"|"ack"|"command"} [kind] AggregatorMessage kind
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an AggregatorMessage.
                 * @memberof hms.sys.v1
                 * @interface IAggregatorMessage
                 * @augments hms.sys.v1.AggregatorMessage.$Properties
                 * @deprecated Use hms.sys.v1.AggregatorMessage.$Properties instead.
                 */

                /**
                 * Narrowed shape of an AggregatorMessage.
                 * @typedef {{
                 *   welcome?: hms.sys.v1.Welcome.$Shape|null;
                 *   ack?: hms.sys.v1.Ack.$Shape|null;
                 *   command?: hms.sys.v1.Command.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ kind?: undefined; welcome?: null; ack?: null; command?: null }|{ kind?: "welcome"; welcome: hms.sys.v1.Welcome.$Shape; ack?: null; command?: null }|{ kind?: "ack"; welcome?: null; ack: hms.sys.v1.Ack.$Shape; command?: null }|{ kind?: "command"; welcome?: null; ack?: null; command: hms.sys.v1.Command.$Shape })
                 * )} hms.sys.v1.AggregatorMessage.$Shape
                 */

                /**
                 * Constructs a new AggregatorMessage.
                 * @memberof hms.sys.v1
                 * @classdesc Represents an AggregatorMessage.
                 * @constructor
                 * @param {hms.sys.v1.AggregatorMessage.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const AggregatorMessage = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * AggregatorMessage welcome.
                 * @member {hms.sys.v1.Welcome.$Properties|null|undefined} welcome
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @instance
                 */
                AggregatorMessage.prototype.welcome = null;

                /**
                 * AggregatorMessage ack.
                 * @member {hms.sys.v1.Ack.$Properties|null|undefined} ack
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @instance
                 */
                AggregatorMessage.prototype.ack = null;

                /**
                 * AggregatorMessage command.
                 * @member {hms.sys.v1.Command.$Properties|null|undefined} command
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @instance
                 */
                AggregatorMessage.prototype.command = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * AggregatorMessage kind.
                 * @member {"welcome"|"ack"|"command"|undefined} kind
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @instance
                 */
                $Object.defineProperty(AggregatorMessage.prototype, "kind", {
                    get: $util.oneOfGetter($oneOfFields = ["welcome", "ack", "command"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new AggregatorMessage instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @static
                 * @param {hms.sys.v1.AggregatorMessage.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.AggregatorMessage} AggregatorMessage instance
                 * @type {{
                 *   (properties: hms.sys.v1.AggregatorMessage.$Shape): hms.sys.v1.AggregatorMessage & hms.sys.v1.AggregatorMessage.$Shape;
                 *   (properties?: hms.sys.v1.AggregatorMessage.$Properties): hms.sys.v1.AggregatorMessage;
                 * }}
                 */
                AggregatorMessage.create = function(properties) {
                    return new AggregatorMessage(properties);
                };

                /**
                 * Encodes the specified AggregatorMessage message. Does not implicitly {@link hms.sys.v1.AggregatorMessage.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @static
                 * @param {hms.sys.v1.AggregatorMessage.$Properties} message AggregatorMessage message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AggregatorMessage.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome"))
                        $root.hms.sys.v1.Welcome.encode(message.welcome, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.ack != null && $Object.hasOwnProperty.call(message, "ack"))
                        $root.hms.sys.v1.Ack.encode(message.ack, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.command != null && $Object.hasOwnProperty.call(message, "command"))
                        $root.hms.sys.v1.Command.encode(message.command, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an AggregatorMessage message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.AggregatorMessage
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.AggregatorMessage & hms.sys.v1.AggregatorMessage.$Shape} AggregatorMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AggregatorMessage.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.AggregatorMessage();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.welcome = $root.hms.sys.v1.Welcome.decode(reader, reader.size(), $undefined, _depth + 1, message.welcome);
                                message.kind = "welcome";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.ack = $root.hms.sys.v1.Ack.decode(reader, reader.size(), $undefined, _depth + 1, message.ack);
                                message.kind = "ack";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.command = $root.hms.sys.v1.Command.decode(reader, reader.size(), $undefined, _depth + 1, message.command);
                                message.kind = "command";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return AggregatorMessage;
            })();

            v1.Hello = (function() {

                /**
                 * Properties of a Hello.
                 * @typedef {Object} hms.sys.v1.Hello.$Properties
                 * @property {string|null} [nodeName] Hello nodeName
                 * @property {string|null} [agentVersion] Hello agentVersion
                 * @property {number|null} [protocolVersion] Hello protocolVersion
                 * @property {hms.sys.v1.NodeInfo.$Properties|null} [node] Hello node
                 * @property {string|null} [streamId] Hello streamId
                 * @property {number|null} [intervalMs] Hello intervalMs
                 * @property {Array.<hms.sys.v1.CommandStatus.$Properties>|null} [inFlight] Hello inFlight
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Hello.
                 * @memberof hms.sys.v1
                 * @interface IHello
                 * @augments hms.sys.v1.Hello.$Properties
                 * @deprecated Use hms.sys.v1.Hello.$Properties instead.
                 */

                /**
                 * Shape of a Hello.
                 * @typedef {hms.sys.v1.Hello.$Properties} hms.sys.v1.Hello.$Shape
                 */

                /**
                 * Constructs a new Hello.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a Hello.
                 * @constructor
                 * @param {hms.sys.v1.Hello.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Hello = function (properties) {
                    this.inFlight = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Hello nodeName.
                 * @member {string} nodeName
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.nodeName = "";

                /**
                 * Hello agentVersion.
                 * @member {string} agentVersion
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.agentVersion = "";

                /**
                 * Hello protocolVersion.
                 * @member {number} protocolVersion
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.protocolVersion = 0;

                /**
                 * Hello node.
                 * @member {hms.sys.v1.NodeInfo.$Properties|null|undefined} node
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.node = null;

                /**
                 * Hello streamId.
                 * @member {string} streamId
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.streamId = "";

                /**
                 * Hello intervalMs.
                 * @member {number} intervalMs
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.intervalMs = 0;

                /**
                 * Hello inFlight.
                 * @member {Array.<hms.sys.v1.CommandStatus.$Properties>} inFlight
                 * @memberof hms.sys.v1.Hello
                 * @instance
                 */
                Hello.prototype.inFlight = $util.emptyArray;

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.Hello
                 * @static
                 * @param {hms.sys.v1.Hello.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.Hello} Hello instance
                 * @type {{
                 *   (properties: hms.sys.v1.Hello.$Shape): hms.sys.v1.Hello & hms.sys.v1.Hello.$Shape;
                 *   (properties?: hms.sys.v1.Hello.$Properties): hms.sys.v1.Hello;
                 * }}
                 */
                Hello.create = function(properties) {
                    return new Hello(properties);
                };

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link hms.sys.v1.Hello.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.Hello
                 * @static
                 * @param {hms.sys.v1.Hello.$Properties} message Hello message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hello.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName") && message.nodeName !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeName);
                    if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion") && message.agentVersion !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.agentVersion);
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.protocolVersion);
                    if (message.node != null && $Object.hasOwnProperty.call(message, "node"))
                        $root.hms.sys.v1.NodeInfo.encode(message.node, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.streamId != null && $Object.hasOwnProperty.call(message, "streamId") && message.streamId !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.streamId);
                    if (message.intervalMs != null && $Object.hasOwnProperty.call(message, "intervalMs") && message.intervalMs !== 0)
                        writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.intervalMs);
                    if (message.inFlight != null && message.inFlight.length)
                        for (let i = 0; i < message.inFlight.length; ++i)
                            $root.hms.sys.v1.CommandStatus.encode(message.inFlight[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.Hello
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Hello & hms.sys.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hello.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.Hello();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeName = value;
                                else
                                    delete message.nodeName;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.agentVersion = value;
                                else
                                    delete message.agentVersion;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.protocolVersion = value;
                                else
                                    delete message.protocolVersion;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.node = $root.hms.sys.v1.NodeInfo.decode(reader, reader.size(), $undefined, _depth + 1, message.node);
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.streamId = value;
                                else
                                    delete message.streamId;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.intervalMs = value;
                                else
                                    delete message.intervalMs;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.inFlight && message.inFlight.length))
                                    message.inFlight = [];
                                message.inFlight.push($root.hms.sys.v1.CommandStatus.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Hello;
            })();

            v1.NodeInfo = (function() {

                /**
                 * Properties of a NodeInfo.
                 * @typedef {Object} hms.sys.v1.NodeInfo.$Properties
                 * @property {string|null} [bootId] NodeInfo bootId
                 * @property {string|null} [kernelVersion] NodeInfo kernelVersion
                 * @property {string|null} [osImage] NodeInfo osImage
                 * @property {number|null} [cpuCores] NodeInfo cpuCores
                 * @property {number|null} [memoryBytes] NodeInfo memoryBytes
                 * @property {string|null} [architecture] NodeInfo architecture
                 * @property {string|null} [cgroupVersion] NodeInfo cgroupVersion
                 * @property {boolean|null} [simulatedBoot] NodeInfo simulatedBoot
                 * @property {string|null} [hostname] NodeInfo hostname
                 * @property {number|null} [bootTimeMs] NodeInfo bootTimeMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a NodeInfo.
                 * @memberof hms.sys.v1
                 * @interface INodeInfo
                 * @augments hms.sys.v1.NodeInfo.$Properties
                 * @deprecated Use hms.sys.v1.NodeInfo.$Properties instead.
                 */

                /**
                 * Shape of a NodeInfo.
                 * @typedef {hms.sys.v1.NodeInfo.$Properties} hms.sys.v1.NodeInfo.$Shape
                 */

                /**
                 * Constructs a new NodeInfo.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a NodeInfo.
                 * @constructor
                 * @param {hms.sys.v1.NodeInfo.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const NodeInfo = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * NodeInfo bootId.
                 * @member {string} bootId
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.bootId = "";

                /**
                 * NodeInfo kernelVersion.
                 * @member {string} kernelVersion
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.kernelVersion = "";

                /**
                 * NodeInfo osImage.
                 * @member {string} osImage
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.osImage = "";

                /**
                 * NodeInfo cpuCores.
                 * @member {number} cpuCores
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.cpuCores = 0;

                /**
                 * NodeInfo memoryBytes.
                 * @member {number} memoryBytes
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.memoryBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * NodeInfo architecture.
                 * @member {string} architecture
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.architecture = "";

                /**
                 * NodeInfo cgroupVersion.
                 * @member {string} cgroupVersion
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.cgroupVersion = "";

                /**
                 * NodeInfo simulatedBoot.
                 * @member {boolean} simulatedBoot
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.simulatedBoot = false;

                /**
                 * NodeInfo hostname.
                 * @member {string} hostname
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.hostname = "";

                /**
                 * NodeInfo bootTimeMs.
                 * @member {number} bootTimeMs
                 * @memberof hms.sys.v1.NodeInfo
                 * @instance
                 */
                NodeInfo.prototype.bootTimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new NodeInfo instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.NodeInfo
                 * @static
                 * @param {hms.sys.v1.NodeInfo.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.NodeInfo} NodeInfo instance
                 * @type {{
                 *   (properties: hms.sys.v1.NodeInfo.$Shape): hms.sys.v1.NodeInfo & hms.sys.v1.NodeInfo.$Shape;
                 *   (properties?: hms.sys.v1.NodeInfo.$Properties): hms.sys.v1.NodeInfo;
                 * }}
                 */
                NodeInfo.create = function(properties) {
                    return new NodeInfo(properties);
                };

                /**
                 * Encodes the specified NodeInfo message. Does not implicitly {@link hms.sys.v1.NodeInfo.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.NodeInfo
                 * @static
                 * @param {hms.sys.v1.NodeInfo.$Properties} message NodeInfo message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                NodeInfo.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && message.bootId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.bootId);
                    if (message.kernelVersion != null && $Object.hasOwnProperty.call(message, "kernelVersion") && message.kernelVersion !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.kernelVersion);
                    if (message.osImage != null && $Object.hasOwnProperty.call(message, "osImage") && message.osImage !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.osImage);
                    if (message.cpuCores != null && $Object.hasOwnProperty.call(message, "cpuCores") && message.cpuCores !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.cpuCores);
                    if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes") && (typeof message.memoryBytes === "object" ? message.memoryBytes.low || message.memoryBytes.high : message.memoryBytes !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.memoryBytes);
                    if (message.architecture != null && $Object.hasOwnProperty.call(message, "architecture") && message.architecture !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.architecture);
                    if (message.cgroupVersion != null && $Object.hasOwnProperty.call(message, "cgroupVersion") && message.cgroupVersion !== "")
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.cgroupVersion);
                    if (message.simulatedBoot != null && $Object.hasOwnProperty.call(message, "simulatedBoot") && message.simulatedBoot !== false)
                        writer.uint32(/* id 8, wireType 0 =*/64).bool(message.simulatedBoot);
                    if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname") && message.hostname !== "")
                        writer.uint32(/* id 9, wireType 2 =*/74).string(message.hostname);
                    if (message.bootTimeMs != null && $Object.hasOwnProperty.call(message, "bootTimeMs") && (typeof message.bootTimeMs === "object" ? message.bootTimeMs.low || message.bootTimeMs.high : message.bootTimeMs !== 0))
                        writer.uint32(/* id 10, wireType 0 =*/80).uint64(message.bootTimeMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a NodeInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.NodeInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.NodeInfo & hms.sys.v1.NodeInfo.$Shape} NodeInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                NodeInfo.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.NodeInfo();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.bootId = value;
                                else
                                    delete message.bootId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.kernelVersion = value;
                                else
                                    delete message.kernelVersion;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.osImage = value;
                                else
                                    delete message.osImage;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.cpuCores = value;
                                else
                                    delete message.cpuCores;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.memoryBytes = value;
                                else
                                    delete message.memoryBytes;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.architecture = value;
                                else
                                    delete message.architecture;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.cgroupVersion = value;
                                else
                                    delete message.cgroupVersion;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.simulatedBoot = value;
                                else
                                    delete message.simulatedBoot;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.hostname = value;
                                else
                                    delete message.hostname;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.bootTimeMs = value;
                                else
                                    delete message.bootTimeMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return NodeInfo;
            })();

            v1.Welcome = (function() {

                /**
                 * Properties of a Welcome.
                 * @typedef {Object} hms.sys.v1.Welcome.$Properties
                 * @property {number|null} [protocolVersion] Welcome protocolVersion
                 * @property {string|null} [aggregatorVersion] Welcome aggregatorVersion
                 * @property {number|null} [serverTimeMs] Welcome serverTimeMs
                 * @property {number|null} [lastAckedSeq] Welcome lastAckedSeq
                 * @property {string|null} [nodeName] Welcome nodeName
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Welcome.
                 * @memberof hms.sys.v1
                 * @interface IWelcome
                 * @augments hms.sys.v1.Welcome.$Properties
                 * @deprecated Use hms.sys.v1.Welcome.$Properties instead.
                 */

                /**
                 * Shape of a Welcome.
                 * @typedef {hms.sys.v1.Welcome.$Properties} hms.sys.v1.Welcome.$Shape
                 */

                /**
                 * Constructs a new Welcome.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a Welcome.
                 * @constructor
                 * @param {hms.sys.v1.Welcome.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Welcome = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Welcome protocolVersion.
                 * @member {number} protocolVersion
                 * @memberof hms.sys.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.protocolVersion = 0;

                /**
                 * Welcome aggregatorVersion.
                 * @member {string} aggregatorVersion
                 * @memberof hms.sys.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.aggregatorVersion = "";

                /**
                 * Welcome serverTimeMs.
                 * @member {number} serverTimeMs
                 * @memberof hms.sys.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Welcome lastAckedSeq.
                 * @member {number} lastAckedSeq
                 * @memberof hms.sys.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.lastAckedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Welcome nodeName.
                 * @member {string} nodeName
                 * @memberof hms.sys.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.nodeName = "";

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.Welcome
                 * @static
                 * @param {hms.sys.v1.Welcome.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.Welcome} Welcome instance
                 * @type {{
                 *   (properties: hms.sys.v1.Welcome.$Shape): hms.sys.v1.Welcome & hms.sys.v1.Welcome.$Shape;
                 *   (properties?: hms.sys.v1.Welcome.$Properties): hms.sys.v1.Welcome;
                 * }}
                 */
                Welcome.create = function(properties) {
                    return new Welcome(properties);
                };

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link hms.sys.v1.Welcome.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.Welcome
                 * @static
                 * @param {hms.sys.v1.Welcome.$Properties} message Welcome message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Welcome.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                    if (message.aggregatorVersion != null && $Object.hasOwnProperty.call(message, "aggregatorVersion") && message.aggregatorVersion !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.aggregatorVersion);
                    if (message.serverTimeMs != null && $Object.hasOwnProperty.call(message, "serverTimeMs") && (typeof message.serverTimeMs === "object" ? message.serverTimeMs.low || message.serverTimeMs.high : message.serverTimeMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.serverTimeMs);
                    if (message.lastAckedSeq != null && $Object.hasOwnProperty.call(message, "lastAckedSeq") && (typeof message.lastAckedSeq === "object" ? message.lastAckedSeq.low || message.lastAckedSeq.high : message.lastAckedSeq !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.lastAckedSeq);
                    if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName") && message.nodeName !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.nodeName);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.Welcome
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Welcome & hms.sys.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Welcome.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.Welcome();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.protocolVersion = value;
                                else
                                    delete message.protocolVersion;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.aggregatorVersion = value;
                                else
                                    delete message.aggregatorVersion;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.serverTimeMs = value;
                                else
                                    delete message.serverTimeMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.lastAckedSeq = value;
                                else
                                    delete message.lastAckedSeq;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeName = value;
                                else
                                    delete message.nodeName;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Welcome;
            })();

            v1.Ack = (function() {

                /**
                 * Properties of an Ack.
                 * @typedef {Object} hms.sys.v1.Ack.$Properties
                 * @property {number|null} [seq] Ack seq
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Ack.
                 * @memberof hms.sys.v1
                 * @interface IAck
                 * @augments hms.sys.v1.Ack.$Properties
                 * @deprecated Use hms.sys.v1.Ack.$Properties instead.
                 */

                /**
                 * Shape of an Ack.
                 * @typedef {hms.sys.v1.Ack.$Properties} hms.sys.v1.Ack.$Shape
                 */

                /**
                 * Constructs a new Ack.
                 * @memberof hms.sys.v1
                 * @classdesc Represents an Ack.
                 * @constructor
                 * @param {hms.sys.v1.Ack.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Ack = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Ack seq.
                 * @member {number} seq
                 * @memberof hms.sys.v1.Ack
                 * @instance
                 */
                Ack.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new Ack instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.Ack
                 * @static
                 * @param {hms.sys.v1.Ack.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.Ack} Ack instance
                 * @type {{
                 *   (properties: hms.sys.v1.Ack.$Shape): hms.sys.v1.Ack & hms.sys.v1.Ack.$Shape;
                 *   (properties?: hms.sys.v1.Ack.$Properties): hms.sys.v1.Ack;
                 * }}
                 */
                Ack.create = function(properties) {
                    return new Ack(properties);
                };

                /**
                 * Encodes the specified Ack message. Does not implicitly {@link hms.sys.v1.Ack.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.Ack
                 * @static
                 * @param {hms.sys.v1.Ack.$Properties} message Ack message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ack.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Ack message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.Ack
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Ack & hms.sys.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ack.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.Ack();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Ack;
            })();

            v1.MetricsBatch = (function() {

                /**
                 * Properties of a MetricsBatch.
                 * @typedef {Object} hms.sys.v1.MetricsBatch.$Properties
                 * @property {number|null} [seq] MetricsBatch seq
                 * @property {number|null} [collectedAtMs] MetricsBatch collectedAtMs
                 * @property {hms.sys.v1.NodeUsage.$Properties|null} [nodeUsage] MetricsBatch nodeUsage
                 * @property {Array.<hms.sys.v1.PodSample.$Properties>|null} [pods] MetricsBatch pods
                 * @property {number|null} [monotonicUsec] MetricsBatch monotonicUsec
                 * @property {string|null} [bootId] MetricsBatch bootId
                 * @property {hms.sys.v1.CollectionStats.$Properties|null} [stats] MetricsBatch stats
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a MetricsBatch.
                 * @memberof hms.sys.v1
                 * @interface IMetricsBatch
                 * @augments hms.sys.v1.MetricsBatch.$Properties
                 * @deprecated Use hms.sys.v1.MetricsBatch.$Properties instead.
                 */

                /**
                 * Shape of a MetricsBatch.
                 * @typedef {hms.sys.v1.MetricsBatch.$Properties} hms.sys.v1.MetricsBatch.$Shape
                 */

                /**
                 * Constructs a new MetricsBatch.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a MetricsBatch.
                 * @constructor
                 * @param {hms.sys.v1.MetricsBatch.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const MetricsBatch = function (properties) {
                    this.pods = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * MetricsBatch seq.
                 * @member {number} seq
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * MetricsBatch collectedAtMs.
                 * @member {number} collectedAtMs
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.collectedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * MetricsBatch nodeUsage.
                 * @member {hms.sys.v1.NodeUsage.$Properties|null|undefined} nodeUsage
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.nodeUsage = null;

                /**
                 * MetricsBatch pods.
                 * @member {Array.<hms.sys.v1.PodSample.$Properties>} pods
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.pods = $util.emptyArray;

                /**
                 * MetricsBatch monotonicUsec.
                 * @member {number} monotonicUsec
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.monotonicUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * MetricsBatch bootId.
                 * @member {string} bootId
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.bootId = "";

                /**
                 * MetricsBatch stats.
                 * @member {hms.sys.v1.CollectionStats.$Properties|null|undefined} stats
                 * @memberof hms.sys.v1.MetricsBatch
                 * @instance
                 */
                MetricsBatch.prototype.stats = null;

                /**
                 * Creates a new MetricsBatch instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.MetricsBatch
                 * @static
                 * @param {hms.sys.v1.MetricsBatch.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.MetricsBatch} MetricsBatch instance
                 * @type {{
                 *   (properties: hms.sys.v1.MetricsBatch.$Shape): hms.sys.v1.MetricsBatch & hms.sys.v1.MetricsBatch.$Shape;
                 *   (properties?: hms.sys.v1.MetricsBatch.$Properties): hms.sys.v1.MetricsBatch;
                 * }}
                 */
                MetricsBatch.create = function(properties) {
                    return new MetricsBatch(properties);
                };

                /**
                 * Encodes the specified MetricsBatch message. Does not implicitly {@link hms.sys.v1.MetricsBatch.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.MetricsBatch
                 * @static
                 * @param {hms.sys.v1.MetricsBatch.$Properties} message MetricsBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                MetricsBatch.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                    if (message.collectedAtMs != null && $Object.hasOwnProperty.call(message, "collectedAtMs") && (typeof message.collectedAtMs === "object" ? message.collectedAtMs.low || message.collectedAtMs.high : message.collectedAtMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.collectedAtMs);
                    if (message.nodeUsage != null && $Object.hasOwnProperty.call(message, "nodeUsage"))
                        $root.hms.sys.v1.NodeUsage.encode(message.nodeUsage, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.pods != null && message.pods.length)
                        for (let i = 0; i < message.pods.length; ++i)
                            $root.hms.sys.v1.PodSample.encode(message.pods[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.monotonicUsec != null && $Object.hasOwnProperty.call(message, "monotonicUsec") && (typeof message.monotonicUsec === "object" ? message.monotonicUsec.low || message.monotonicUsec.high : message.monotonicUsec !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.monotonicUsec);
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && message.bootId !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.bootId);
                    if (message.stats != null && $Object.hasOwnProperty.call(message, "stats"))
                        $root.hms.sys.v1.CollectionStats.encode(message.stats, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a MetricsBatch message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.MetricsBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.MetricsBatch & hms.sys.v1.MetricsBatch.$Shape} MetricsBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                MetricsBatch.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.MetricsBatch();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.collectedAtMs = value;
                                else
                                    delete message.collectedAtMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.nodeUsage = $root.hms.sys.v1.NodeUsage.decode(reader, reader.size(), $undefined, _depth + 1, message.nodeUsage);
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.pods && message.pods.length))
                                    message.pods = [];
                                message.pods.push($root.hms.sys.v1.PodSample.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.monotonicUsec = value;
                                else
                                    delete message.monotonicUsec;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.bootId = value;
                                else
                                    delete message.bootId;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                message.stats = $root.hms.sys.v1.CollectionStats.decode(reader, reader.size(), $undefined, _depth + 1, message.stats);
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return MetricsBatch;
            })();

            v1.NodeUsage = (function() {

                /**
                 * Properties of a NodeUsage.
                 * @typedef {Object} hms.sys.v1.NodeUsage.$Properties
                 * @property {number|null} [cpuBusyUsec] NodeUsage cpuBusyUsec
                 * @property {number|null} [cpuTotalUsec] NodeUsage cpuTotalUsec
                 * @property {number|null} [cpuCores] NodeUsage cpuCores
                 * @property {number|null} [memoryTotalBytes] NodeUsage memoryTotalBytes
                 * @property {number|null} [memoryAvailableBytes] NodeUsage memoryAvailableBytes
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a NodeUsage.
                 * @memberof hms.sys.v1
                 * @interface INodeUsage
                 * @augments hms.sys.v1.NodeUsage.$Properties
                 * @deprecated Use hms.sys.v1.NodeUsage.$Properties instead.
                 */

                /**
                 * Shape of a NodeUsage.
                 * @typedef {hms.sys.v1.NodeUsage.$Properties} hms.sys.v1.NodeUsage.$Shape
                 */

                /**
                 * Constructs a new NodeUsage.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a NodeUsage.
                 * @constructor
                 * @param {hms.sys.v1.NodeUsage.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const NodeUsage = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * NodeUsage cpuBusyUsec.
                 * @member {number} cpuBusyUsec
                 * @memberof hms.sys.v1.NodeUsage
                 * @instance
                 */
                NodeUsage.prototype.cpuBusyUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * NodeUsage cpuTotalUsec.
                 * @member {number} cpuTotalUsec
                 * @memberof hms.sys.v1.NodeUsage
                 * @instance
                 */
                NodeUsage.prototype.cpuTotalUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * NodeUsage cpuCores.
                 * @member {number} cpuCores
                 * @memberof hms.sys.v1.NodeUsage
                 * @instance
                 */
                NodeUsage.prototype.cpuCores = 0;

                /**
                 * NodeUsage memoryTotalBytes.
                 * @member {number} memoryTotalBytes
                 * @memberof hms.sys.v1.NodeUsage
                 * @instance
                 */
                NodeUsage.prototype.memoryTotalBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * NodeUsage memoryAvailableBytes.
                 * @member {number} memoryAvailableBytes
                 * @memberof hms.sys.v1.NodeUsage
                 * @instance
                 */
                NodeUsage.prototype.memoryAvailableBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new NodeUsage instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.NodeUsage
                 * @static
                 * @param {hms.sys.v1.NodeUsage.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.NodeUsage} NodeUsage instance
                 * @type {{
                 *   (properties: hms.sys.v1.NodeUsage.$Shape): hms.sys.v1.NodeUsage & hms.sys.v1.NodeUsage.$Shape;
                 *   (properties?: hms.sys.v1.NodeUsage.$Properties): hms.sys.v1.NodeUsage;
                 * }}
                 */
                NodeUsage.create = function(properties) {
                    return new NodeUsage(properties);
                };

                /**
                 * Encodes the specified NodeUsage message. Does not implicitly {@link hms.sys.v1.NodeUsage.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.NodeUsage
                 * @static
                 * @param {hms.sys.v1.NodeUsage.$Properties} message NodeUsage message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                NodeUsage.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.cpuBusyUsec != null && $Object.hasOwnProperty.call(message, "cpuBusyUsec") && (typeof message.cpuBusyUsec === "object" ? message.cpuBusyUsec.low || message.cpuBusyUsec.high : message.cpuBusyUsec !== 0))
                        writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.cpuBusyUsec);
                    if (message.cpuTotalUsec != null && $Object.hasOwnProperty.call(message, "cpuTotalUsec") && (typeof message.cpuTotalUsec === "object" ? message.cpuTotalUsec.low || message.cpuTotalUsec.high : message.cpuTotalUsec !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.cpuTotalUsec);
                    if (message.cpuCores != null && $Object.hasOwnProperty.call(message, "cpuCores") && message.cpuCores !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.cpuCores);
                    if (message.memoryTotalBytes != null && $Object.hasOwnProperty.call(message, "memoryTotalBytes") && (typeof message.memoryTotalBytes === "object" ? message.memoryTotalBytes.low || message.memoryTotalBytes.high : message.memoryTotalBytes !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.memoryTotalBytes);
                    if (message.memoryAvailableBytes != null && $Object.hasOwnProperty.call(message, "memoryAvailableBytes") && (typeof message.memoryAvailableBytes === "object" ? message.memoryAvailableBytes.low || message.memoryAvailableBytes.high : message.memoryAvailableBytes !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.memoryAvailableBytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a NodeUsage message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.NodeUsage
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.NodeUsage & hms.sys.v1.NodeUsage.$Shape} NodeUsage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                NodeUsage.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.NodeUsage();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuBusyUsec = value;
                                else
                                    delete message.cpuBusyUsec;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuTotalUsec = value;
                                else
                                    delete message.cpuTotalUsec;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.cpuCores = value;
                                else
                                    delete message.cpuCores;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.memoryTotalBytes = value;
                                else
                                    delete message.memoryTotalBytes;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.memoryAvailableBytes = value;
                                else
                                    delete message.memoryAvailableBytes;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return NodeUsage;
            })();

            v1.PodSample = (function() {

                /**
                 * Properties of a PodSample.
                 * @typedef {Object} hms.sys.v1.PodSample.$Properties
                 * @property {string|null} [uid] PodSample uid
                 * @property {string|null} [namespace] PodSample namespace
                 * @property {string|null} [name] PodSample name
                 * @property {string|null} [qosClass] PodSample qosClass
                 * @property {Array.<hms.sys.v1.ContainerSample.$Properties>|null} [containers] PodSample containers
                 * @property {number|null} [cpuUsageUsec] PodSample cpuUsageUsec
                 * @property {string|null} [cgroupPath] PodSample cgroupPath
                 * @property {boolean|null} [partial] PodSample partial
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PodSample.
                 * @memberof hms.sys.v1
                 * @interface IPodSample
                 * @augments hms.sys.v1.PodSample.$Properties
                 * @deprecated Use hms.sys.v1.PodSample.$Properties instead.
                 */

                /**
                 * Shape of a PodSample.
                 * @typedef {hms.sys.v1.PodSample.$Properties} hms.sys.v1.PodSample.$Shape
                 */

                /**
                 * Constructs a new PodSample.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a PodSample.
                 * @constructor
                 * @param {hms.sys.v1.PodSample.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PodSample = function (properties) {
                    this.containers = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PodSample uid.
                 * @member {string} uid
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.uid = "";

                /**
                 * PodSample namespace.
                 * @member {string} namespace
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.namespace = "";

                /**
                 * PodSample name.
                 * @member {string} name
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.name = "";

                /**
                 * PodSample qosClass.
                 * @member {string} qosClass
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.qosClass = "";

                /**
                 * PodSample containers.
                 * @member {Array.<hms.sys.v1.ContainerSample.$Properties>} containers
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.containers = $util.emptyArray;

                /**
                 * PodSample cpuUsageUsec.
                 * @member {number} cpuUsageUsec
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.cpuUsageUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * PodSample cgroupPath.
                 * @member {string} cgroupPath
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.cgroupPath = "";

                /**
                 * PodSample partial.
                 * @member {boolean} partial
                 * @memberof hms.sys.v1.PodSample
                 * @instance
                 */
                PodSample.prototype.partial = false;

                /**
                 * Creates a new PodSample instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.PodSample
                 * @static
                 * @param {hms.sys.v1.PodSample.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.PodSample} PodSample instance
                 * @type {{
                 *   (properties: hms.sys.v1.PodSample.$Shape): hms.sys.v1.PodSample & hms.sys.v1.PodSample.$Shape;
                 *   (properties?: hms.sys.v1.PodSample.$Properties): hms.sys.v1.PodSample;
                 * }}
                 */
                PodSample.create = function(properties) {
                    return new PodSample(properties);
                };

                /**
                 * Encodes the specified PodSample message. Does not implicitly {@link hms.sys.v1.PodSample.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.PodSample
                 * @static
                 * @param {hms.sys.v1.PodSample.$Properties} message PodSample message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PodSample.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.uid != null && $Object.hasOwnProperty.call(message, "uid") && message.uid !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.uid);
                    if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.namespace);
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
                    if (message.qosClass != null && $Object.hasOwnProperty.call(message, "qosClass") && message.qosClass !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.qosClass);
                    if (message.containers != null && message.containers.length)
                        for (let i = 0; i < message.containers.length; ++i)
                            $root.hms.sys.v1.ContainerSample.encode(message.containers[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.cpuUsageUsec != null && $Object.hasOwnProperty.call(message, "cpuUsageUsec") && (typeof message.cpuUsageUsec === "object" ? message.cpuUsageUsec.low || message.cpuUsageUsec.high : message.cpuUsageUsec !== 0))
                        writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.cpuUsageUsec);
                    if (message.cgroupPath != null && $Object.hasOwnProperty.call(message, "cgroupPath") && message.cgroupPath !== "")
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.cgroupPath);
                    if (message.partial != null && $Object.hasOwnProperty.call(message, "partial") && message.partial !== false)
                        writer.uint32(/* id 8, wireType 0 =*/64).bool(message.partial);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PodSample message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.PodSample
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.PodSample & hms.sys.v1.PodSample.$Shape} PodSample
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PodSample.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.PodSample();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.uid = value;
                                else
                                    delete message.uid;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.namespace = value;
                                else
                                    delete message.namespace;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.qosClass = value;
                                else
                                    delete message.qosClass;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.containers && message.containers.length))
                                    message.containers = [];
                                message.containers.push($root.hms.sys.v1.ContainerSample.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuUsageUsec = value;
                                else
                                    delete message.cpuUsageUsec;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.cgroupPath = value;
                                else
                                    delete message.cgroupPath;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.partial = value;
                                else
                                    delete message.partial;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return PodSample;
            })();

            v1.ContainerSample = (function() {

                /**
                 * Properties of a ContainerSample.
                 * @typedef {Object} hms.sys.v1.ContainerSample.$Properties
                 * @property {string|null} [id] ContainerSample id
                 * @property {string|null} [name] ContainerSample name
                 * @property {number|null} [cpuUsageUsec] ContainerSample cpuUsageUsec
                 * @property {number|null} [cpuThrottledUsec] ContainerSample cpuThrottledUsec
                 * @property {number|null} [nrThrottled] ContainerSample nrThrottled
                 * @property {number|null} [nrPeriods] ContainerSample nrPeriods
                 * @property {number|null} [cpuUserUsec] ContainerSample cpuUserUsec
                 * @property {number|null} [cpuSystemUsec] ContainerSample cpuSystemUsec
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ContainerSample.
                 * @memberof hms.sys.v1
                 * @interface IContainerSample
                 * @augments hms.sys.v1.ContainerSample.$Properties
                 * @deprecated Use hms.sys.v1.ContainerSample.$Properties instead.
                 */

                /**
                 * Shape of a ContainerSample.
                 * @typedef {hms.sys.v1.ContainerSample.$Properties} hms.sys.v1.ContainerSample.$Shape
                 */

                /**
                 * Constructs a new ContainerSample.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a ContainerSample.
                 * @constructor
                 * @param {hms.sys.v1.ContainerSample.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ContainerSample = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ContainerSample id.
                 * @member {string} id
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.id = "";

                /**
                 * ContainerSample name.
                 * @member {string} name
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.name = "";

                /**
                 * ContainerSample cpuUsageUsec.
                 * @member {number} cpuUsageUsec
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.cpuUsageUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ContainerSample cpuThrottledUsec.
                 * @member {number} cpuThrottledUsec
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.cpuThrottledUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ContainerSample nrThrottled.
                 * @member {number} nrThrottled
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.nrThrottled = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ContainerSample nrPeriods.
                 * @member {number} nrPeriods
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.nrPeriods = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ContainerSample cpuUserUsec.
                 * @member {number} cpuUserUsec
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.cpuUserUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ContainerSample cpuSystemUsec.
                 * @member {number} cpuSystemUsec
                 * @memberof hms.sys.v1.ContainerSample
                 * @instance
                 */
                ContainerSample.prototype.cpuSystemUsec = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new ContainerSample instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.ContainerSample
                 * @static
                 * @param {hms.sys.v1.ContainerSample.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.ContainerSample} ContainerSample instance
                 * @type {{
                 *   (properties: hms.sys.v1.ContainerSample.$Shape): hms.sys.v1.ContainerSample & hms.sys.v1.ContainerSample.$Shape;
                 *   (properties?: hms.sys.v1.ContainerSample.$Properties): hms.sys.v1.ContainerSample;
                 * }}
                 */
                ContainerSample.create = function(properties) {
                    return new ContainerSample(properties);
                };

                /**
                 * Encodes the specified ContainerSample message. Does not implicitly {@link hms.sys.v1.ContainerSample.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.ContainerSample
                 * @static
                 * @param {hms.sys.v1.ContainerSample.$Properties} message ContainerSample message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ContainerSample.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
                    if (message.cpuUsageUsec != null && $Object.hasOwnProperty.call(message, "cpuUsageUsec") && (typeof message.cpuUsageUsec === "object" ? message.cpuUsageUsec.low || message.cpuUsageUsec.high : message.cpuUsageUsec !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.cpuUsageUsec);
                    if (message.cpuThrottledUsec != null && $Object.hasOwnProperty.call(message, "cpuThrottledUsec") && (typeof message.cpuThrottledUsec === "object" ? message.cpuThrottledUsec.low || message.cpuThrottledUsec.high : message.cpuThrottledUsec !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.cpuThrottledUsec);
                    if (message.nrThrottled != null && $Object.hasOwnProperty.call(message, "nrThrottled") && (typeof message.nrThrottled === "object" ? message.nrThrottled.low || message.nrThrottled.high : message.nrThrottled !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.nrThrottled);
                    if (message.nrPeriods != null && $Object.hasOwnProperty.call(message, "nrPeriods") && (typeof message.nrPeriods === "object" ? message.nrPeriods.low || message.nrPeriods.high : message.nrPeriods !== 0))
                        writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.nrPeriods);
                    if (message.cpuUserUsec != null && $Object.hasOwnProperty.call(message, "cpuUserUsec") && (typeof message.cpuUserUsec === "object" ? message.cpuUserUsec.low || message.cpuUserUsec.high : message.cpuUserUsec !== 0))
                        writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.cpuUserUsec);
                    if (message.cpuSystemUsec != null && $Object.hasOwnProperty.call(message, "cpuSystemUsec") && (typeof message.cpuSystemUsec === "object" ? message.cpuSystemUsec.low || message.cpuSystemUsec.high : message.cpuSystemUsec !== 0))
                        writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.cpuSystemUsec);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a ContainerSample message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.ContainerSample
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.ContainerSample & hms.sys.v1.ContainerSample.$Shape} ContainerSample
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ContainerSample.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.ContainerSample();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.id = value;
                                else
                                    delete message.id;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuUsageUsec = value;
                                else
                                    delete message.cpuUsageUsec;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuThrottledUsec = value;
                                else
                                    delete message.cpuThrottledUsec;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.nrThrottled = value;
                                else
                                    delete message.nrThrottled;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.nrPeriods = value;
                                else
                                    delete message.nrPeriods;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuUserUsec = value;
                                else
                                    delete message.cpuUserUsec;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.cpuSystemUsec = value;
                                else
                                    delete message.cpuSystemUsec;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return ContainerSample;
            })();

            v1.CollectionStats = (function() {

                /**
                 * Properties of a CollectionStats.
                 * @typedef {Object} hms.sys.v1.CollectionStats.$Properties
                 * @property {number|null} [cgroupsScanned] CollectionStats cgroupsScanned
                 * @property {number|null} [readErrors] CollectionStats readErrors
                 * @property {number|null} [durationUsec] CollectionStats durationUsec
                 * @property {number|null} [droppedBatches] CollectionStats droppedBatches
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a CollectionStats.
                 * @memberof hms.sys.v1
                 * @interface ICollectionStats
                 * @augments hms.sys.v1.CollectionStats.$Properties
                 * @deprecated Use hms.sys.v1.CollectionStats.$Properties instead.
                 */

                /**
                 * Shape of a CollectionStats.
                 * @typedef {hms.sys.v1.CollectionStats.$Properties} hms.sys.v1.CollectionStats.$Shape
                 */

                /**
                 * Constructs a new CollectionStats.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a CollectionStats.
                 * @constructor
                 * @param {hms.sys.v1.CollectionStats.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const CollectionStats = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * CollectionStats cgroupsScanned.
                 * @member {number} cgroupsScanned
                 * @memberof hms.sys.v1.CollectionStats
                 * @instance
                 */
                CollectionStats.prototype.cgroupsScanned = 0;

                /**
                 * CollectionStats readErrors.
                 * @member {number} readErrors
                 * @memberof hms.sys.v1.CollectionStats
                 * @instance
                 */
                CollectionStats.prototype.readErrors = 0;

                /**
                 * CollectionStats durationUsec.
                 * @member {number} durationUsec
                 * @memberof hms.sys.v1.CollectionStats
                 * @instance
                 */
                CollectionStats.prototype.durationUsec = 0;

                /**
                 * CollectionStats droppedBatches.
                 * @member {number} droppedBatches
                 * @memberof hms.sys.v1.CollectionStats
                 * @instance
                 */
                CollectionStats.prototype.droppedBatches = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new CollectionStats instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.CollectionStats
                 * @static
                 * @param {hms.sys.v1.CollectionStats.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.CollectionStats} CollectionStats instance
                 * @type {{
                 *   (properties: hms.sys.v1.CollectionStats.$Shape): hms.sys.v1.CollectionStats & hms.sys.v1.CollectionStats.$Shape;
                 *   (properties?: hms.sys.v1.CollectionStats.$Properties): hms.sys.v1.CollectionStats;
                 * }}
                 */
                CollectionStats.create = function(properties) {
                    return new CollectionStats(properties);
                };

                /**
                 * Encodes the specified CollectionStats message. Does not implicitly {@link hms.sys.v1.CollectionStats.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.CollectionStats
                 * @static
                 * @param {hms.sys.v1.CollectionStats.$Properties} message CollectionStats message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                CollectionStats.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.cgroupsScanned != null && $Object.hasOwnProperty.call(message, "cgroupsScanned") && message.cgroupsScanned !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.cgroupsScanned);
                    if (message.readErrors != null && $Object.hasOwnProperty.call(message, "readErrors") && message.readErrors !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.readErrors);
                    if (message.durationUsec != null && $Object.hasOwnProperty.call(message, "durationUsec") && message.durationUsec !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.durationUsec);
                    if (message.droppedBatches != null && $Object.hasOwnProperty.call(message, "droppedBatches") && (typeof message.droppedBatches === "object" ? message.droppedBatches.low || message.droppedBatches.high : message.droppedBatches !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.droppedBatches);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a CollectionStats message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.CollectionStats
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.CollectionStats & hms.sys.v1.CollectionStats.$Shape} CollectionStats
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                CollectionStats.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.CollectionStats();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.cgroupsScanned = value;
                                else
                                    delete message.cgroupsScanned;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.readErrors = value;
                                else
                                    delete message.readErrors;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.durationUsec = value;
                                else
                                    delete message.durationUsec;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.droppedBatches = value;
                                else
                                    delete message.droppedBatches;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return CollectionStats;
            })();

            /**
             * PatchKind enum.
             * @name hms.sys.v1.PatchKind
             * @enum {number}
             * @property {number} PATCH_KIND_UNSPECIFIED=0 PATCH_KIND_UNSPECIFIED value
             * @property {number} PATCH_KIND_KERNEL=1 PATCH_KIND_KERNEL value
             * @property {number} PATCH_KIND_OS=2 PATCH_KIND_OS value
             * @property {number} PATCH_KIND_PACKAGES=3 PATCH_KIND_PACKAGES value
             */
            v1.PatchKind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "PATCH_KIND_UNSPECIFIED"] = 0;
                values[valuesById[1] = "PATCH_KIND_KERNEL"] = 1;
                values[valuesById[2] = "PATCH_KIND_OS"] = 2;
                values[valuesById[3] = "PATCH_KIND_PACKAGES"] = 3;
                return values;
            })();

            v1.Command = (function() {

                /**
                 * Properties of a Command.
                 * @typedef {Object} hms.sys.v1.Command.$Properties
                 * @property {string|null} [id] Command id
                 * @property {number|null} [issuedAtMs] Command issuedAtMs
                 * @property {number|null} [expiresAtMs] Command expiresAtMs
                 * @property {string|null} [nodeName] Command nodeName
                 * @property {string|null} [runId] Command runId
                 * @property {hms.sys.v1.PatchKind|null} [patchKind] Command patchKind
                 * @property {boolean|null} [allowReboot] Command allowReboot
                 * @property {boolean|null} [forceReboot] Command forceReboot
                 * @property {boolean|null} [dryRun] Command dryRun
                 * @property {string|null} [keyId] Command keyId
                 * @property {Uint8Array|null} [signature] Command signature
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Command.
                 * @memberof hms.sys.v1
                 * @interface ICommand
                 * @augments hms.sys.v1.Command.$Properties
                 * @deprecated Use hms.sys.v1.Command.$Properties instead.
                 */

                /**
                 * Shape of a Command.
                 * @typedef {hms.sys.v1.Command.$Properties} hms.sys.v1.Command.$Shape
                 */

                /**
                 * Constructs a new Command.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a Command.
                 * @constructor
                 * @param {hms.sys.v1.Command.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Command = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Command id.
                 * @member {string} id
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.id = "";

                /**
                 * Command issuedAtMs.
                 * @member {number} issuedAtMs
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.issuedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Command expiresAtMs.
                 * @member {number} expiresAtMs
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.expiresAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Command nodeName.
                 * @member {string} nodeName
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.nodeName = "";

                /**
                 * Command runId.
                 * @member {string} runId
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.runId = "";

                /**
                 * Command patchKind.
                 * @member {hms.sys.v1.PatchKind} patchKind
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.patchKind = 0;

                /**
                 * Command allowReboot.
                 * @member {boolean} allowReboot
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.allowReboot = false;

                /**
                 * Command forceReboot.
                 * @member {boolean} forceReboot
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.forceReboot = false;

                /**
                 * Command dryRun.
                 * @member {boolean} dryRun
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.dryRun = false;

                /**
                 * Command keyId.
                 * @member {string} keyId
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.keyId = "";

                /**
                 * Command signature.
                 * @member {Uint8Array} signature
                 * @memberof hms.sys.v1.Command
                 * @instance
                 */
                Command.prototype.signature = $util.newBuffer([]);

                /**
                 * Creates a new Command instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.Command
                 * @static
                 * @param {hms.sys.v1.Command.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.Command} Command instance
                 * @type {{
                 *   (properties: hms.sys.v1.Command.$Shape): hms.sys.v1.Command & hms.sys.v1.Command.$Shape;
                 *   (properties?: hms.sys.v1.Command.$Properties): hms.sys.v1.Command;
                 * }}
                 */
                Command.create = function(properties) {
                    return new Command(properties);
                };

                /**
                 * Encodes the specified Command message. Does not implicitly {@link hms.sys.v1.Command.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.Command
                 * @static
                 * @param {hms.sys.v1.Command.$Properties} message Command message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Command.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                    if (message.issuedAtMs != null && $Object.hasOwnProperty.call(message, "issuedAtMs") && (typeof message.issuedAtMs === "object" ? message.issuedAtMs.low || message.issuedAtMs.high : message.issuedAtMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.issuedAtMs);
                    if (message.expiresAtMs != null && $Object.hasOwnProperty.call(message, "expiresAtMs") && (typeof message.expiresAtMs === "object" ? message.expiresAtMs.low || message.expiresAtMs.high : message.expiresAtMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.expiresAtMs);
                    if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName") && message.nodeName !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.nodeName);
                    if (message.runId != null && $Object.hasOwnProperty.call(message, "runId") && message.runId !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.runId);
                    if (message.patchKind != null && $Object.hasOwnProperty.call(message, "patchKind") && message.patchKind !== 0)
                        writer.uint32(/* id 6, wireType 0 =*/48).int32(message.patchKind);
                    if (message.allowReboot != null && $Object.hasOwnProperty.call(message, "allowReboot") && message.allowReboot !== false)
                        writer.uint32(/* id 7, wireType 0 =*/56).bool(message.allowReboot);
                    if (message.forceReboot != null && $Object.hasOwnProperty.call(message, "forceReboot") && message.forceReboot !== false)
                        writer.uint32(/* id 8, wireType 0 =*/64).bool(message.forceReboot);
                    if (message.dryRun != null && $Object.hasOwnProperty.call(message, "dryRun") && message.dryRun !== false)
                        writer.uint32(/* id 9, wireType 0 =*/72).bool(message.dryRun);
                    if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId !== "")
                        writer.uint32(/* id 14, wireType 2 =*/114).string(message.keyId);
                    if (message.signature != null && $Object.hasOwnProperty.call(message, "signature") && message.signature.length)
                        writer.uint32(/* id 15, wireType 2 =*/122).bytes(message.signature);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Command message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.Command
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Command & hms.sys.v1.Command.$Shape} Command
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Command.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.Command();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.id = value;
                                else
                                    delete message.id;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.issuedAtMs = value;
                                else
                                    delete message.issuedAtMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.expiresAtMs = value;
                                else
                                    delete message.expiresAtMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeName = value;
                                else
                                    delete message.nodeName;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.runId = value;
                                else
                                    delete message.runId;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.patchKind = value;
                                else
                                    delete message.patchKind;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.allowReboot = value;
                                else
                                    delete message.allowReboot;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.forceReboot = value;
                                else
                                    delete message.forceReboot;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.dryRun = value;
                                else
                                    delete message.dryRun;
                                continue;
                            }
                        case 14: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.keyId = value;
                                else
                                    delete message.keyId;
                                continue;
                            }
                        case 15: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.signature = value;
                                else
                                    delete message.signature;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Command;
            })();

            /**
             * CommandState enum.
             * @name hms.sys.v1.CommandState
             * @enum {number}
             * @property {number} COMMAND_STATE_UNSPECIFIED=0 COMMAND_STATE_UNSPECIFIED value
             * @property {number} COMMAND_STATE_RECEIVED=1 COMMAND_STATE_RECEIVED value
             * @property {number} COMMAND_STATE_PATCHING=2 COMMAND_STATE_PATCHING value
             * @property {number} COMMAND_STATE_REBOOTING=3 COMMAND_STATE_REBOOTING value
             * @property {number} COMMAND_STATE_VERIFYING=4 COMMAND_STATE_VERIFYING value
             * @property {number} COMMAND_STATE_DONE=5 COMMAND_STATE_DONE value
             * @property {number} COMMAND_STATE_FAILED=6 COMMAND_STATE_FAILED value
             * @property {number} COMMAND_STATE_REFUSED=7 COMMAND_STATE_REFUSED value
             */
            v1.CommandState = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "COMMAND_STATE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "COMMAND_STATE_RECEIVED"] = 1;
                values[valuesById[2] = "COMMAND_STATE_PATCHING"] = 2;
                values[valuesById[3] = "COMMAND_STATE_REBOOTING"] = 3;
                values[valuesById[4] = "COMMAND_STATE_VERIFYING"] = 4;
                values[valuesById[5] = "COMMAND_STATE_DONE"] = 5;
                values[valuesById[6] = "COMMAND_STATE_FAILED"] = 6;
                values[valuesById[7] = "COMMAND_STATE_REFUSED"] = 7;
                return values;
            })();

            v1.CommandStatus = (function() {

                /**
                 * Properties of a CommandStatus.
                 * @typedef {Object} hms.sys.v1.CommandStatus.$Properties
                 * @property {string|null} [commandId] CommandStatus commandId
                 * @property {hms.sys.v1.CommandState|null} [state] CommandStatus state
                 * @property {string|null} [message] CommandStatus message
                 * @property {number|null} [exitCode] CommandStatus exitCode
                 * @property {string|null} [outputTail] CommandStatus outputTail
                 * @property {string|null} [bootIdBefore] CommandStatus bootIdBefore
                 * @property {string|null} [bootId] CommandStatus bootId
                 * @property {string|null} [kernelVersion] CommandStatus kernelVersion
                 * @property {boolean|null} [rebootRequired] CommandStatus rebootRequired
                 * @property {boolean|null} [rebooted] CommandStatus rebooted
                 * @property {boolean|null} [simulated] CommandStatus simulated
                 * @property {boolean|null} [dryRun] CommandStatus dryRun
                 * @property {number|null} [updatedAtMs] CommandStatus updatedAtMs
                 * @property {string|null} [runId] CommandStatus runId
                 * @property {string|null} [refusalReason] CommandStatus refusalReason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a CommandStatus.
                 * @memberof hms.sys.v1
                 * @interface ICommandStatus
                 * @augments hms.sys.v1.CommandStatus.$Properties
                 * @deprecated Use hms.sys.v1.CommandStatus.$Properties instead.
                 */

                /**
                 * Shape of a CommandStatus.
                 * @typedef {hms.sys.v1.CommandStatus.$Properties} hms.sys.v1.CommandStatus.$Shape
                 */

                /**
                 * Constructs a new CommandStatus.
                 * @memberof hms.sys.v1
                 * @classdesc Represents a CommandStatus.
                 * @constructor
                 * @param {hms.sys.v1.CommandStatus.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const CommandStatus = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * CommandStatus commandId.
                 * @member {string} commandId
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.commandId = "";

                /**
                 * CommandStatus state.
                 * @member {hms.sys.v1.CommandState} state
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.state = 0;

                /**
                 * CommandStatus message.
                 * @member {string} message
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.message = "";

                /**
                 * CommandStatus exitCode.
                 * @member {number} exitCode
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.exitCode = 0;

                /**
                 * CommandStatus outputTail.
                 * @member {string} outputTail
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.outputTail = "";

                /**
                 * CommandStatus bootIdBefore.
                 * @member {string} bootIdBefore
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.bootIdBefore = "";

                /**
                 * CommandStatus bootId.
                 * @member {string} bootId
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.bootId = "";

                /**
                 * CommandStatus kernelVersion.
                 * @member {string} kernelVersion
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.kernelVersion = "";

                /**
                 * CommandStatus rebootRequired.
                 * @member {boolean} rebootRequired
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.rebootRequired = false;

                /**
                 * CommandStatus rebooted.
                 * @member {boolean} rebooted
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.rebooted = false;

                /**
                 * CommandStatus simulated.
                 * @member {boolean} simulated
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.simulated = false;

                /**
                 * CommandStatus dryRun.
                 * @member {boolean} dryRun
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.dryRun = false;

                /**
                 * CommandStatus updatedAtMs.
                 * @member {number} updatedAtMs
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.updatedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * CommandStatus runId.
                 * @member {string} runId
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.runId = "";

                /**
                 * CommandStatus refusalReason.
                 * @member {string} refusalReason
                 * @memberof hms.sys.v1.CommandStatus
                 * @instance
                 */
                CommandStatus.prototype.refusalReason = "";

                /**
                 * Creates a new CommandStatus instance using the specified properties.
                 * @function create
                 * @memberof hms.sys.v1.CommandStatus
                 * @static
                 * @param {hms.sys.v1.CommandStatus.$Properties=} [properties] Properties to set
                 * @returns {hms.sys.v1.CommandStatus} CommandStatus instance
                 * @type {{
                 *   (properties: hms.sys.v1.CommandStatus.$Shape): hms.sys.v1.CommandStatus & hms.sys.v1.CommandStatus.$Shape;
                 *   (properties?: hms.sys.v1.CommandStatus.$Properties): hms.sys.v1.CommandStatus;
                 * }}
                 */
                CommandStatus.create = function(properties) {
                    return new CommandStatus(properties);
                };

                /**
                 * Encodes the specified CommandStatus message. Does not implicitly {@link hms.sys.v1.CommandStatus.verify|verify} messages.
                 * @function encode
                 * @memberof hms.sys.v1.CommandStatus
                 * @static
                 * @param {hms.sys.v1.CommandStatus.$Properties} message CommandStatus message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                CommandStatus.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.commandId != null && $Object.hasOwnProperty.call(message, "commandId") && message.commandId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.commandId);
                    if (message.state != null && $Object.hasOwnProperty.call(message, "state") && message.state !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.state);
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.message);
                    if (message.exitCode != null && $Object.hasOwnProperty.call(message, "exitCode") && message.exitCode !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).int32(message.exitCode);
                    if (message.outputTail != null && $Object.hasOwnProperty.call(message, "outputTail") && message.outputTail !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.outputTail);
                    if (message.bootIdBefore != null && $Object.hasOwnProperty.call(message, "bootIdBefore") && message.bootIdBefore !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.bootIdBefore);
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && message.bootId !== "")
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.bootId);
                    if (message.kernelVersion != null && $Object.hasOwnProperty.call(message, "kernelVersion") && message.kernelVersion !== "")
                        writer.uint32(/* id 8, wireType 2 =*/66).string(message.kernelVersion);
                    if (message.rebootRequired != null && $Object.hasOwnProperty.call(message, "rebootRequired") && message.rebootRequired !== false)
                        writer.uint32(/* id 9, wireType 0 =*/72).bool(message.rebootRequired);
                    if (message.rebooted != null && $Object.hasOwnProperty.call(message, "rebooted") && message.rebooted !== false)
                        writer.uint32(/* id 10, wireType 0 =*/80).bool(message.rebooted);
                    if (message.simulated != null && $Object.hasOwnProperty.call(message, "simulated") && message.simulated !== false)
                        writer.uint32(/* id 11, wireType 0 =*/88).bool(message.simulated);
                    if (message.dryRun != null && $Object.hasOwnProperty.call(message, "dryRun") && message.dryRun !== false)
                        writer.uint32(/* id 12, wireType 0 =*/96).bool(message.dryRun);
                    if (message.updatedAtMs != null && $Object.hasOwnProperty.call(message, "updatedAtMs") && (typeof message.updatedAtMs === "object" ? message.updatedAtMs.low || message.updatedAtMs.high : message.updatedAtMs !== 0))
                        writer.uint32(/* id 13, wireType 0 =*/104).int64(message.updatedAtMs);
                    if (message.runId != null && $Object.hasOwnProperty.call(message, "runId") && message.runId !== "")
                        writer.uint32(/* id 14, wireType 2 =*/114).string(message.runId);
                    if (message.refusalReason != null && $Object.hasOwnProperty.call(message, "refusalReason") && message.refusalReason !== "")
                        writer.uint32(/* id 15, wireType 2 =*/122).string(message.refusalReason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a CommandStatus message from the specified reader or buffer.
                 * @function decode
                 * @memberof hms.sys.v1.CommandStatus
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {hms.sys.v1.CommandStatus & hms.sys.v1.CommandStatus.$Shape} CommandStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                CommandStatus.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.hms.sys.v1.CommandStatus();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.commandId = value;
                                else
                                    delete message.commandId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.state = value;
                                else
                                    delete message.state;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.message = value;
                                else
                                    delete message.message;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.exitCode = value;
                                else
                                    delete message.exitCode;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.outputTail = value;
                                else
                                    delete message.outputTail;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.bootIdBefore = value;
                                else
                                    delete message.bootIdBefore;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.bootId = value;
                                else
                                    delete message.bootId;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.kernelVersion = value;
                                else
                                    delete message.kernelVersion;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.rebootRequired = value;
                                else
                                    delete message.rebootRequired;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.rebooted = value;
                                else
                                    delete message.rebooted;
                                continue;
                            }
                        case 11: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.simulated = value;
                                else
                                    delete message.simulated;
                                continue;
                            }
                        case 12: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.dryRun = value;
                                else
                                    delete message.dryRun;
                                continue;
                            }
                        case 13: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.updatedAtMs = value;
                                else
                                    delete message.updatedAtMs;
                                continue;
                            }
                        case 14: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.runId = value;
                                else
                                    delete message.runId;
                                continue;
                            }
                        case 15: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.refusalReason = value;
                                else
                                    delete message.refusalReason;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return CommandStatus;
            })();

            return v1;
        })();

        return sys;
    })();

    return hms;
})();

export {
  $root as default
};
